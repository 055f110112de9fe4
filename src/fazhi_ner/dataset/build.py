"""Build the Hugging Face dataset folder (Parquet per config and split, README card, checksums).

The whole folder is staged and swapped in one rename, so an error or an interruption leaves the
previous dataset/ intact. Building twice from the same gold gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from fazhi_ner.atomic import atomic_directory, atomic_write_text, stale_paths
from fazhi_ner.dataset import card
from fazhi_ner.dataset.features import features_of
from fazhi_ner.dataset.rows import (
    ALL_CONFIGS,
    CONFIGS,
    SYNTHETIC_CONFIG,
    Corpus,
    GoldDocument,
    Reader,
    agency_rows,
    config_rows,
    default_reader,
    document_row,
    indicator_rows,
    load_corpus,
    sentence_row,
    synthetic_rows,
)
from fazhi_ner.errors import DatasetError, StaleError
from fazhi_ner.paths import dataset_dir, gold_dir, project_root
from fazhi_ner.seeds import documents_by_id
from fazhi_ner.splits import SPLIT_NAMES
from fazhi_ner.version import __version__

CARD_NAME = "DATASET_CARD.md"
CHECKSUMS = "checksums.json"
_UNSET: object = object()
# Above this many rows a config/split is written in record batches (bounded memory, several row
# groups); at or below it, in one row group exactly as before. The real corpus is far below it.
STREAM_ROWS = 50_000
BATCH_ROWS = 2_000


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the CLI summary and the tests."""

    out_dir: Path
    card_path: Path
    counts: dict[str, dict[str, int]]
    checksums: dict[str, str]
    readings: bool
    seconds: float


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_parquet(rows: list[dict[str, object]], config: str, path: Path) -> int:
    """Write rows with the config's Features; returns the Arrow size (the card's ``num_bytes``)."""
    if len(rows) > STREAM_ROWS:
        return write_parquet_batches(rows, config, path)[1]
    import datasets

    ds = datasets.Dataset.from_list(rows, features=features_of(config))
    path.parent.mkdir(parents=True, exist_ok=True)
    was_enabled = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()
    try:
        # One row group; the writer options are fixed by `datasets` (no clock or host in the file).
        ds.to_parquet(str(path), batch_size=max(1, len(rows)))
    finally:
        if was_enabled:
            datasets.enable_progress_bars()
    return int(ds.data.nbytes)


class BatchedParquetWriter:
    """Rows in, Parquet out, one record batch (row group) at a time: memory is bounded by one batch.

    Same schema, column options and key-value metadata as ``datasets``' own Parquet writer, so a
    file written in a single batch is byte-identical to :func:`write_parquet`'s and any file reads
    back with ``load_dataset("parquet", ...)`` to the same Features.
    """

    def __init__(self, config: str, path: Path, *, batch_rows: int = BATCH_ROWS) -> None:
        import pyarrow.parquet as pq
        from datasets import config as ds_config
        from datasets.arrow_writer import get_parquet_column_options

        self.features = features_of(config)
        self.schema = self.features.arrow_schema
        self.batch_rows = max(1, batch_rows)
        self._cdc = ds_config.DEFAULT_CDC_OPTIONS
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(
            str(path),
            schema=self.schema,
            use_content_defined_chunking=self._cdc,
            write_page_index=True,
            **get_parquet_column_options(self.features, self.schema),
        )
        self._pending: list[dict[str, object]] = []
        self.rows = 0
        self.nbytes = 0

    def add(self, row: dict[str, object]) -> None:
        self._pending.append(row)
        if len(self._pending) >= self.batch_rows:
            self._flush()

    def extend(self, rows: Iterable[dict[str, object]]) -> None:
        for row in rows:
            self.add(row)

    def _flush(self) -> None:
        if not self._pending:
            return
        import pyarrow as pa

        table = pa.Table.from_pylist(self._pending, schema=self.schema)
        self._writer.write_table(table)
        self.rows += table.num_rows
        self.nbytes += int(table.nbytes)
        self._pending = []

    def close(self) -> tuple[int, int]:
        """Flush and close; returns (rows, Arrow bytes)."""
        self._flush()
        self._writer.add_key_value_metadata({"content_defined_chunking": json.dumps(self._cdc)})
        self._writer.close()
        return self.rows, self.nbytes

    def __enter__(self) -> BatchedParquetWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._writer.close()  # the caller's staging folder is discarded with the partial file


def write_parquet_batches(
    rows: Iterable[dict[str, object]], config: str, path: Path, *, batch_rows: int = BATCH_ROWS
) -> tuple[int, int]:
    """Write rows (any iterable, consumed lazily) in batches; returns (rows, Arrow bytes)."""
    with BatchedParquetWriter(config, path, batch_rows=batch_rows) as writer:
        writer.extend(rows)
    return writer.rows, writer.nbytes


def stream_tree(
    documents: Iterable[GoldDocument], out: Path, reader: Reader | None, *, batch_rows: int = BATCH_ROWS
) -> dict[str, dict[str, int]]:
    """Write ``out/data/<config>/<split>.parquet`` from documents consumed one at a time.

    Every config and split has its own open batched writer, so memory depends on the batch size
    and the largest document, not on how many documents there are. Write into a staging folder
    (:func:`fazhi_ner.atomic.atomic_directory`) to keep the all-or-nothing guarantee.
    Returns ``{config: {split: rows}}``.
    """
    writers: dict[tuple[str, str], BatchedParquetWriter] = {}

    def sink(config: str, split: str) -> BatchedParquetWriter:
        key = (config, split)
        if key not in writers:
            writers[key] = BatchedParquetWriter(config, out / f"data/{config}/{split}.parquet", batch_rows=batch_rows)
        return writers[key]

    try:
        for gd in documents:
            split = gd.split
            sink("documents", split).add(document_row(gd))
            for gs in gd.sentences:
                sink("sentences", split).add(sentence_row(gs, gd.fold))
                rows = indicator_rows(gs, reader, gd.fold)
                if rows:
                    sink("indicators", split).extend(rows)
                agencies = agency_rows(gs, gd.fold)
                if agencies:
                    sink("agencies", split).extend(agencies)
    except BaseException:
        for writer in writers.values():
            writer._writer.close()
        raise
    counts: dict[str, dict[str, int]] = {c: {} for c in CONFIGS}
    for (config, split), writer in sorted(writers.items()):
        counts[config][split] = writer.close()[0]
    return counts


def _features_yaml() -> dict[str, list]:
    return {config: features_of(config)._to_yaml_list() for config in ALL_CONFIGS}


def load_synthetic() -> Corpus | None:
    """The synthetic training corpus, or None when the checkout has none."""
    from fazhi_ner.synthetic import load_synthetic_corpus

    corpus = load_synthetic_corpus()
    return corpus if corpus.documents else None


def write_tree(
    corpus: Corpus, out: Path, root: Path, reader: Reader | None, synthetic: Corpus | None = None
) -> tuple[str, dict]:
    """Write data/, README.md and checksums.json into ``out``; return the card body and counts."""
    out.chmod(0o755)  # the staging folder is created private; the dataset is meant to be read
    rows = config_rows(corpus, reader)
    infos: list[card.SplitInfo] = []
    checksums: dict[str, dict[str, object]] = {}
    tables = [(config, split, rows[config][split]) for config in CONFIGS for split in SPLIT_NAMES]
    tables.append((SYNTHETIC_CONFIG, "train", synthetic_rows(synthetic)))
    for config, split, data in tables:
        if not data:
            continue
        rel = f"data/{config}/{split}.parquet"
        num_bytes = write_parquet(data, config, out / rel)
        infos.append(card.SplitInfo(config, split, rel, len(data), num_bytes))
        checksums[rel] = {"sha256": sha256_file(out / rel), "size": (out / rel).stat().st_size}
    n_sentences = sum(i.num_examples for i in infos if i.config == "sentences")
    text = card.body(corpus, rows, infos, root, synthetic)
    front = card.front_matter(infos, _features_yaml(), n_sentences)
    (out / "README.md").write_text(card.readme(front, text), encoding="utf-8")
    manifest = {"version": __version__, "algorithm": "sha256", "files": checksums}
    (out / CHECKSUMS).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    counts = {c: {i.split: i.num_examples for i in infos if i.config == c} for c in ALL_CONFIGS}
    return text, counts


def _resolve(gold_directory: Path | None, out_dir: Path | None, card_path: Path | None, root: Path | None):
    root = Path(root) if root is not None else project_root()
    gold = Path(gold_directory) if gold_directory is not None else gold_dir()
    out = Path(out_dir) if out_dir is not None else dataset_dir()
    card_file = Path(card_path) if card_path is not None else root / CARD_NAME
    real_out = out.resolve() == dataset_dir().resolve() or card_file.resolve() == (project_root() / CARD_NAME).resolve()
    if real_out and gold.resolve() != gold_dir().resolve():
        raise DatasetError(
            f"{out}: the committed dataset is built only from {gold_dir()}, not from {gold}; "
            "pass --out to build elsewhere"
        )
    return gold, out, card_file, root


def build(
    gold_directory: Path | None = None,
    out_dir: Path | None = None,
    card_path: Path | None = None,
    *,
    root: Path | None = None,
    reader: Reader | None | object = _UNSET,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Validate the gold, write the dataset folder atomically, then the card next to it."""
    began = time.perf_counter()
    gold, out, card_file, root = _resolve(gold_directory, out_dir, card_path, root)
    read = default_reader() if reader is _UNSET else reader
    corpus = load_corpus(gold)
    if progress:
        missing = sorted(set(documents_by_id()) - {gd.doc.doc_id for gd in corpus.documents})
        note = f" (a subset: no gold for {', '.join(missing)})" if missing else ""
        progress(f"read {len(corpus.documents)} of {len(documents_by_id())} manifest documents from {gold}{note}")
    with atomic_directory(out) as staging:
        text, counts = write_tree(corpus, staging, root, read, load_synthetic())  # type: ignore[arg-type]
    atomic_write_text(card_file, text)
    sums = json.loads((out / CHECKSUMS).read_text(encoding="utf-8"))["files"]
    return BuildResult(
        out,
        card_file,
        counts,
        {k: v["sha256"] for k, v in sums.items()},
        read is not None,
        time.perf_counter() - began,
    )


def _same_parquet(a: Path, b: Path) -> bool:
    """Byte-identical, or the same table and schema metadata (a different pyarrow writes other bytes)."""
    if a.read_bytes() == b.read_bytes():
        return True
    import pyarrow.parquet as pq

    try:
        ta, tb = pq.read_table(a), pq.read_table(b)
    except Exception:  # noqa: BLE001 - a corrupt committed file is simply stale
        return False
    return ta.schema.equals(tb.schema, check_metadata=True) and ta.equals(tb)


def _files(directory: Path) -> set[str]:
    if not directory.is_dir():
        return set()
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}


def stale_files(
    gold_directory: Path | None = None,
    out_dir: Path | None = None,
    card_path: Path | None = None,
    *,
    root: Path | None = None,
    reader: Reader | None | object = _UNSET,
) -> list[str]:
    """Paths (relative to the dataset folder, or the card's name) that differ from a fresh build."""
    gold, out, card_file, root = _resolve(gold_directory, out_dir, card_path, root)
    read = default_reader() if reader is _UNSET else reader
    corpus = load_corpus(gold)
    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fazhi-check-") as tmp:
        fresh = Path(tmp) / "dataset"
        fresh.mkdir()
        text, _ = write_tree(corpus, fresh, root, read, load_synthetic())  # type: ignore[arg-type]
        expected, present = _files(fresh), _files(out)
        stale += sorted(f"{name} (missing)" for name in expected - present)
        stale += sorted(f"{name} (unexpected)" for name in present - expected)

        def same(path: Path, wanted: bytes) -> bool:
            name = path.relative_to(out).as_posix()
            if name.endswith(".parquet"):
                return _same_parquet(fresh / name, path)
            if name == CHECKSUMS:
                return _checksums_consistent(fresh / name, path, out)
            return path.read_bytes() == wanted

        shared = {out / name: (fresh / name).read_bytes() for name in sorted(expected & present)}
        stale += [p.relative_to(out).as_posix() for p in stale_paths(shared, same=same)]
    if not card_file.is_file() or card_file.read_text(encoding="utf-8") != text:
        stale.append(card_file.name)
    return stale


def _checksums_consistent(fresh: Path, committed: Path, out: Path) -> bool:
    """Same files listed, and every committed checksum matches the committed file's bytes."""
    try:
        new = json.loads(fresh.read_text(encoding="utf-8"))
        old = json.loads(committed.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if new == old:
        return True
    if {k: v for k, v in new.items() if k != "files"} != {k: v for k, v in old.items() if k != "files"}:
        return False
    if set(new["files"]) != set(old["files"]):
        return False
    return all(
        (out / name).is_file() and sha256_file(out / name) == old["files"][name]["sha256"] for name in old["files"]
    )


def check(
    gold_directory: Path | None = None,
    out_dir: Path | None = None,
    card_path: Path | None = None,
    *,
    root: Path | None = None,
    reader: Reader | None | object = _UNSET,
) -> None:
    """Raise :class:`StaleError` naming every generated file that is out of date with the gold."""
    gold, out, card_file, root = _resolve(gold_directory, out_dir, card_path, root)
    stale = stale_files(gold, out, card_file, root=root, reader=reader)
    if stale:
        cause = _card_cause(card_file, gold, root) if set(stale) <= {card_file.name, "README.md"} else None
        if cause:
            raise StaleError(cause)
        raise StaleError(
            f"{out}: {len(stale)} generated file(s) stale against {gold}: {', '.join(stale)}; run `fazhi dataset build`"
        )


def _card_cause(card_file: Path, gold: Path, root: Path) -> str | None:
    """When only the card is stale, name the input that changed: most often eval/leaderboard.json, not the gold."""
    if not card_file.is_file():
        return None
    section = card.leaderboard_section(root, card._test_fingerprint(load_corpus(gold)))
    if section not in card_file.read_text(encoding="utf-8"):
        return (
            f"{card_file}: its baseline results differ from {root / 'eval' / 'leaderboard.json'} (the leaderboard was "
            "regenerated after the card was built; the gold is unchanged); run `fazhi dataset build`"
        )
    return None


def verify_checksums(out_dir: Path) -> dict[str, dict[str, object]]:
    """Check every data file against checksums.json (before publishing); return the listing."""
    path = Path(out_dir) / CHECKSUMS
    if not path.is_file():
        raise DatasetError(f"{path}: not found; run `fazhi dataset build` first")
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError):
        raise DatasetError(f"{path}: malformed checksums file") from None
    for name, entry in sorted(files.items()):
        file = Path(out_dir) / name
        if not file.is_file():
            raise DatasetError(f"{file}: listed in {CHECKSUMS} but missing")
        digest = sha256_file(file)
        if digest != entry.get("sha256"):
            raise DatasetError(f"{file}: sha256 expected {entry.get('sha256')}, found {digest}")
    return files
