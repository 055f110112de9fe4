"""The seed reports and their manifest, loaded as frozen records with integrity checks."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fazhi_ner.errors import ChecksumError, ManifestError, SeedError
from fazhi_ner.formats.jsonl import JsonLine, read_jsonl
from fazhi_ner.paths import seeds_dir

# The kinds of government unit a report comes from (the seeds are county, district and development_zone;
# the synthetic corpus and ingested reports may be any of these).
UNIT_TYPES = ("province", "prefecture_city", "county", "district", "development_zone", "township")
_REQUIRED = {
    "doc_id": str,
    "file": str,
    "sha256": str,
    "province": str,
    "prefecture": str,
    "unit": str,
    "unit_type": str,
    "year": int,
    "body_start": int,
    "body_end": int,
    "excluded": list,
}


@dataclass(frozen=True)
class Document:
    """One report: its exact text and metadata. Offsets everywhere point into ``text``."""

    doc_id: str
    file: str
    sha256: str
    text: str
    province: str
    prefecture: str
    unit: str
    unit_type: str
    year: int
    date_written: str | None
    date_published: str | None
    title: str | None
    body_start: int
    body_end: int
    excluded: tuple[tuple[int, int], ...]
    note: str = ""

    def metadata(self) -> dict[str, object]:
        """Report-level fields repeated on every sentence row of the dataset."""
        return {
            "province": self.province,
            "prefecture": self.prefecture,
            "unit": self.unit,
            "unit_type": self.unit_type,
            "year": self.year,
        }

    def in_body(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies in the body and touches no excluded range."""
        if start < self.body_start or end > self.body_end:
            return False
        return all(end <= a or start >= b for a, b in self.excluded)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse_manifest_line(line: JsonLine, path: Path) -> dict[str, object]:
    lineno, row = line.lineno, line.row
    if line.error is not None:
        raise ManifestError(f"{line.where}: {line.error}")
    if not isinstance(row, dict):
        raise ManifestError(f"{path}:{lineno}: expected a JSON object, found {type(row).__name__}")
    for key, kind in _REQUIRED.items():
        if key not in row:
            raise ManifestError(f"{path}:{lineno}: missing field {key!r}")
        if not isinstance(row[key], kind) or (kind is int and isinstance(row[key], bool)):
            raise ManifestError(
                f"{path}:{lineno}: field {key!r} expected {kind.__name__}, found {type(row[key]).__name__}"
            )
    if row["unit_type"] not in UNIT_TYPES:
        raise ManifestError(
            f"{path}:{lineno}: unit_type expected one of {', '.join(UNIT_TYPES)}, found {row['unit_type']!r}"
        )
    return row


def load_manifest(directory: Path | None = None) -> list[dict[str, object]]:
    """Rows of ``manifest.jsonl`` in file order, validated for required fields and types."""
    directory = directory or seeds_dir()
    path = directory / "manifest.jsonl"
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    rows = []
    seen: set[str] = set()
    for line in read_jsonl(path):
        row = _parse_manifest_line(line, path)
        if row["doc_id"] in seen:
            raise ManifestError(f"{line.where}: duplicate doc_id {row['doc_id']!r}")
        seen.add(str(row["doc_id"]))
        rows.append(row)
    return rows


def _document(row: dict[str, object], directory: Path) -> Document:
    file = directory / str(row["file"])
    if not file.is_file():
        raise SeedError(f"{file}: seed file for {row['doc_id']} not found")
    data = file.read_bytes()
    digest = sha256_bytes(data)
    if digest != row["sha256"]:
        raise ChecksumError(
            f"{file}: sha256 expected {row['sha256']}, found {digest}; the seed text changed "
            "and every offset into it would be wrong"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(f"{file}: not UTF-8 at byte {exc.start}") from None
    return document_from_text(row, text, where=str(file))


def document_from_text(row: Mapping[str, object], text: str, *, where: str) -> Document:
    """The Document of a manifest row and its text, with the body range and exclusions checked against it."""
    body_start, body_end = int(row["body_start"]), int(row["body_end"])  # type: ignore[call-overload]
    if not 0 <= body_start < body_end <= len(text):
        raise ManifestError(f"{where}: body range [{body_start}, {body_end}) expected inside [0, {len(text)})")
    excluded = []
    for pair in row["excluded"]:  # type: ignore[attr-defined]
        if not (isinstance(pair, list) and len(pair) == 2 and 0 <= pair[0] < pair[1] <= len(text)):
            raise ManifestError(f"{where}: excluded range expected [start, end] inside the text, found {pair!r}")
        excluded.append((int(pair[0]), int(pair[1])))
    return Document(
        doc_id=str(row["doc_id"]),
        file=str(row["file"]),
        sha256=str(row["sha256"]),
        text=text,
        province=str(row["province"]),
        prefecture=str(row["prefecture"]),
        unit=str(row["unit"]),
        unit_type=str(row["unit_type"]),
        year=int(row["year"]),  # type: ignore[call-overload]
        date_written=row.get("date_written"),  # type: ignore[arg-type]
        date_published=row.get("date_published"),  # type: ignore[arg-type]
        title=row.get("title"),  # type: ignore[arg-type]
        body_start=body_start,
        body_end=body_end,
        excluded=tuple(sorted(excluded)),
        note=str(row.get("note", "")),
    )


def load_documents(directory: Path | None = None) -> list[Document]:
    """All seed reports in manifest order, each checked against its sha256.

    Without ``directory``, the reports added with `fazhi ingest` (``user_reports/``) follow the seeds, so
    convert, gold, corpus and build see them as extra documents (their split is train: ``splits.split_of``).
    """
    if directory is None:
        return [*(_document(row, seeds_dir()) for row in load_manifest(seeds_dir())), *user_documents()]
    return [_document(row, directory) for row in load_manifest(directory)]


def user_documents() -> list[Document]:
    """The ingested user reports (none when ``user_reports/manifest.jsonl`` does not exist)."""
    from fazhi_ner import paths

    directory = paths.user_reports_dir()
    manifest = directory / "manifest.jsonl"
    if not manifest.is_file():
        return []
    stat = manifest.stat()
    return list(_cached_user_documents(str(directory.resolve()), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _cached_user_documents(directory: str, _mtime: int, _size: int) -> tuple[Document, ...]:
    return tuple(_document(row, Path(directory)) for row in load_manifest(Path(directory)))


@lru_cache(maxsize=4)
def _cached_documents(directory: str) -> tuple[Document, ...]:
    return tuple(load_documents(Path(directory)))


def documents_by_id(directory: Path | None = None) -> dict[str, Document]:
    """Documents keyed by ``doc_id`` (cached per seeds folder; the files are checksummed once).

    Without ``directory``: the seeds plus the ingested user reports (see :func:`load_documents`).
    """
    extra = user_documents() if directory is None else []
    directory = directory or seeds_dir()
    docs = {doc.doc_id: doc for doc in _cached_documents(str(directory.resolve()))}
    for doc in extra:
        if doc.doc_id in docs:
            raise ManifestError(f"user_reports/manifest.jsonl: doc_id {doc.doc_id!r} is also a seed report")
        docs[doc.doc_id] = doc
    return docs


def get_document(doc_id: str, directory: Path | None = None) -> Document:
    docs = documents_by_id(directory)
    try:
        return docs[doc_id]
    except KeyError:
        raise SeedError(f"unknown doc_id {doc_id!r}; expected one of {', '.join(sorted(docs))}") from None


def select_documents(doc_ids: Sequence[str] | None) -> list[Document]:
    """The seed reports plus the ingested user reports (all, or those named, in the order named).

    Shared by ``annotate push`` and the ML backend (which tags known reports on their body only).
    """
    everything = {d.doc_id: d for d in load_documents()}  # seeds, then the ingested user reports
    if not doc_ids:
        return list(everything.values())
    unknown = [d for d in doc_ids if d not in everything]
    if unknown:
        raise SeedError(f"--docs: unknown doc_id {', '.join(unknown)}; expected one of {', '.join(sorted(everything))}")
    return [everything[d] for d in doc_ids]
