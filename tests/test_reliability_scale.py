"""The synthetic corpus generator and the batched Parquet writer used above the streaming threshold."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import synthetic_corpus as synthetic  # benchmarks/synthetic_corpus.py, on pytest's pythonpath

from fazhi_ner.atomic import atomic_directory
from fazhi_ner.dataset import build as builder
from fazhi_ner.dataset.rows import Corpus, config_rows, default_reader
from fazhi_ner.errors import DatasetError
from fazhi_ner.labels import TAGS
from test_reliability_support import export_spans


@pytest.fixture(scope="module")
def sources() -> dict[str, list[synthetic.SourceSentence]]:
    return synthetic.source_sentences({d: list(s) for d, s in export_spans().items()})


def test_generator_is_deterministic_lazy_and_validated(sources) -> None:  # noqa: ANN001
    a = list(synthetic.synthetic_corpus(sources, 7, seed=3))
    b = list(synthetic.synthetic_corpus(sources, 7, seed=3))
    assert a == b
    assert synthetic.synthetic_document(sources, 5, seed=3) == a[5]  # document i depends only on (seed, i)
    assert [d.doc.text for d in synthetic.synthetic_corpus(sources, 7, seed=4)] != [d.doc.text for d in a]
    for synth in a:
        assert synth.template == synthetic.template_of(synth.doc.doc_id)
        assert all(synth.doc.text[s.start : s.end] == s.text for s in synth.spans)
        assert synth.doc.body_end == len(synth.doc.text) and synth.doc.note.startswith("SYNTHETIC")
    n_real = sum(len(v) for v in sources.values())
    assert sum(len(d.sources) for d in synthetic.scaled(sources, 2)) == 2 * n_real
    assert synthetic.template_of("gaotai-2022") is None


def test_validation_catches_a_corrupted_document(sources) -> None:  # noqa: ANN001
    from dataclasses import replace

    from fazhi_ner.spans import Span

    synth = synthetic.synthetic_document(sources, 0)
    broken = replace(synth, spans=(Span(0, 2, "AGENCY", "xx"),))
    with pytest.raises(synthetic.SyntheticError):
        synthetic.check_document(broken, [sources[synth.template][0]])
    with pytest.raises(DatasetError):
        synthetic.source_sentences({})


def test_source_is_a_parameter(tmp_path: Path) -> None:
    from fazhi_ner.gold import write_gold
    from fazhi_ner.seeds import documents_by_id

    doc = documents_by_id()["gaotai-2022"]
    write_gold(doc, list(export_spans()["gaotai-2022"])[:3], tmp_path)
    sources = synthetic.source_sentences(synthetic.gold_source(tmp_path))
    assert list(sources) == ["gaotai-2022"]
    assert sum(len(s.spans) for s in sources["gaotai-2022"]) == 3


def _tables(directory: Path) -> dict[str, object]:
    return {p.relative_to(directory).as_posix(): pq.read_table(p) for p in sorted(directory.rglob("*.parquet"))}


def test_streamed_dataset_equals_the_in_memory_build(sources, tmp_path: Path) -> None:  # noqa: ANN001
    import datasets

    docs = [synthetic.gold_document(s) for s in synthetic.scaled(sources, 2)]
    rows = config_rows(Corpus(tuple(docs), tmp_path), default_reader())
    memory = tmp_path / "memory"
    for config, splits in rows.items():
        for split, data in splits.items():
            if data:
                builder.write_parquet(data, config, memory / f"data/{config}/{split}.parquet")
    with atomic_directory(tmp_path / "one") as staging:  # one batch per file: byte-identical
        builder.stream_tree(iter(docs), staging, default_reader(), batch_rows=10**6)
    with atomic_directory(tmp_path / "many") as staging:  # many row groups: same table and schema
        counts = builder.stream_tree(iter(docs), staging, default_reader(), batch_rows=50)
    for rel, table in _tables(memory).items():
        assert (tmp_path / "one" / rel).read_bytes() == (memory / rel).read_bytes(), rel
        many = pq.read_table(tmp_path / "many" / rel)
        assert many.equals(table) and many.schema.equals(table.schema, check_metadata=True), rel
    assert counts["sentences"] == {s: len(v) for s, v in rows["sentences"].items() if v}
    assert pq.ParquetFile(tmp_path / "many/data/sentences/train.parquet").num_row_groups > 1
    ds = datasets.load_dataset("parquet", data_files=str(tmp_path / "many/data/sentences/train.parquet"), split="train")
    assert ds.features["ner_tags"].feature.names == list(TAGS)


def test_write_parquet_switches_to_batches_above_the_threshold(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from fazhi_ner.dataset.features import features_of

    calls = []
    real = builder.write_parquet_batches
    monkeypatch.setattr(builder, "STREAM_ROWS", 3)
    monkeypatch.setattr(builder, "write_parquet_batches", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    row = {name: None for name in features_of("documents")}
    row.update(doc_id="d", text="t", excluded=[], spans=[])
    builder.write_parquet([row] * 2, "documents", tmp_path / "small.parquet")
    builder.write_parquet([row] * 4, "documents", tmp_path / "large.parquet")
    assert calls == ["documents"]
    assert pq.read_table(tmp_path / "large.parquet").num_rows == 4


def test_interrupted_stream_leaves_the_previous_folder(sources, tmp_path: Path) -> None:  # noqa: ANN001
    docs = [synthetic.gold_document(s) for s in synthetic.scaled(sources, 1)]
    out = tmp_path / "dataset"
    with atomic_directory(out) as staging:
        builder.stream_tree(iter(docs), staging, None)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def interrupted():  # noqa: ANN202
        yield docs[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), atomic_directory(out) as staging:
        builder.stream_tree(interrupted(), staging, None)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]
