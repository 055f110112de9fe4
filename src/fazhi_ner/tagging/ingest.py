"""``fazhi ingest``: add a user's report to the user corpus folder (``user_reports/``), never to ``seeds/``.

The folder has the same shape as ``seeds/``: the report text (stored as UTF-8; a GB18030 input is decoded,
its original bytes' sha256 kept as ``source_sha256``), and ``manifest.jsonl`` rows in the seeds' schema, so
``fazhi_ner.seeds.load_documents(folder)`` reads and checksums them. Boilerplate is detected and recorded as
excluded ranges; the sentences are written to ``<doc_id>.sentences.jsonl`` (a derived view, for reading).
Ingesting the same report twice (same bytes, same text, or the same text in another form: full-width
punctuation, hard-wrapped lines; ``fazhi_ner.textform.form_key``) is refused, and so is a seed report.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_write_files
from fazhi_ner.formats.jsonl import write_jsonl
from fazhi_ner.paths import seeds_dir
from fazhi_ner.seeds import UNIT_TYPES, Document, load_documents, load_manifest
from fazhi_ner.sentences import document_sentences
from fazhi_ner.splits import USER_PREFIX
from fazhi_ner.tagging.boilerplate import detect
from fazhi_ner.tagging.errors import IngestError
from fazhi_ner.tagging.textio import check_source, read_text
from fazhi_ner.textform import form_key

MANIFEST = "manifest.jsonl"


def user_corpus_dir(directory: Path | None = None) -> Path:
    from fazhi_ner import paths

    return directory or paths.user_reports_dir()


def infer_unit_type(unit: str) -> str:
    """county / district / development_zone from the unit's name (the seeds' three kinds)."""
    if re.search(r"(开发区|高新区|新区|园区|示范区|经开区)$", unit):
        return "development_zone"
    if unit.endswith("区"):
        return "district"
    if unit.endswith(("县", "旗", "自治县")):
        return "county"
    raise IngestError(f"--unit {unit!r}: cannot tell its type; pass --unit-type ({', '.join(UNIT_TYPES)})")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Ingested:
    document: Document
    sentences: int
    path: Path


def ingest(file: Path, *, unit: str, year: int, province: str = "", prefecture: str = "",
           unit_type: str | None = None, doc_id: str | None = None, directory: Path | None = None,
           name: str | None = None) -> Ingested:  # fmt: skip
    """Check, store and register one report; every file is written as one set (nothing half-written)."""
    folder = user_corpus_dir(directory)
    name = name or str(file)
    if not unit.strip():
        raise IngestError("--unit: expected the unit's name (e.g. 仙居县), found an empty string")
    if not 1949 <= year <= 2100:
        raise IngestError(f"--year: expected a report year such as 2024, found {year}")
    unit_type = unit_type or infer_unit_type(unit)
    if unit_type not in UNIT_TYPES:
        raise IngestError(f"--unit-type: expected one of {', '.join(UNIT_TYPES)}, found {unit_type!r}")
    source = check_source(file, name)
    text = read_text(source)
    data = text.encode("utf-8")
    text_sha, source_sha = hashlib.sha256(data).hexdigest(), _sha256(file)
    rows = load_manifest(folder) if (folder / MANIFEST).is_file() else []
    for row in rows:
        if source_sha in (row.get("source_sha256"), row["sha256"]) or text_sha == row["sha256"]:
            raise IngestError(
                f"{name}: already ingested as {row['doc_id']} ({folder / str(row['file'])}, sha256 {row['sha256'][:12]}…)"
            )
    for seed in load_documents(seeds_dir()):
        if text_sha == seed.sha256 or source_sha == seed.sha256:
            raise IngestError(f"{name}: already in the corpus as the seed report {seed.doc_id} ({seed.file})")
    _refuse_same_form(text, name, folder, rows)
    doc_id = doc_id or f"{USER_PREFIX}{year}-{text_sha[:8]}"
    if not re.fullmatch(rf"{USER_PREFIX}[a-z0-9][a-z0-9-]*", doc_id):
        raise IngestError(
            f"--doc-id: expected '{USER_PREFIX}' then lower-case letters, digits and '-', found {doc_id!r}"
        )
    if any(row["doc_id"] == doc_id for row in rows):
        raise IngestError(f"--doc-id: {doc_id!r} is already in {folder / MANIFEST}")
    layout = detect(text)
    first_line = text[layout.body_start : layout.body_end].strip().split("\n", 1)[0].strip()
    row = {
        "doc_id": doc_id,
        "file": f"{doc_id}.txt",
        "sha256": text_sha,
        "source_sha256": source_sha,
        "source_encoding": source.encoding,
        "source_name": Path(name).name,
        "province": province,
        "prefecture": prefecture,
        "unit": unit,
        "unit_type": unit_type,
        "year": year,
        "date_written": None,
        "date_published": None,
        "title": first_line if "报告" in first_line and len(first_line) <= 60 else None,
        "body_start": layout.body_start,
        "body_end": layout.body_end,
        "excluded": [list(r) for r in layout.excluded],
        "note": "Ingested with `fazhi ingest`; boilerplate ranges detected automatically.",
    }
    doc = Document(
        doc_id=doc_id, file=row["file"], sha256=text_sha, text=text, province=province, prefecture=prefecture,
        unit=unit, unit_type=unit_type, year=year, date_written=None, date_published=None, title=row["title"],
        body_start=layout.body_start, body_end=layout.body_end, excluded=layout.excluded,
    )  # fmt: skip
    sentences = document_sentences(doc)
    manifest_text = write_jsonl([*rows, row])
    sentence_lines = write_jsonl({"id": s.id, "start": s.start, "end": s.end, "text": s.text} for s in sentences)
    folder.mkdir(parents=True, exist_ok=True)
    # the text file must round-trip byte-exactly: write it as bytes via the text writer (UTF-8, no newline change)
    atomic_write_files(
        {
            folder / row["file"]: text,
            folder / f"{doc_id}.sentences.jsonl": sentence_lines,
            folder / MANIFEST: manifest_text,
        }
    )
    return Ingested(doc, len(sentences), folder / row["file"])


def _refuse_same_form(text: str, name: str, folder: Path, rows: list[dict]) -> None:
    """Refuse a report that equals a seed or an ingested report once both are in the models' form (full-width
    punctuation, hard wrapping, spaces and line ends aside): the same report would count twice in training."""
    key = form_key(text)
    for seed in load_documents(seeds_dir()):
        if form_key(seed.text) == key:
            raise IngestError(
                f"{name}: the seed report {seed.doc_id} ({seed.file}) in another form (punctuation, line breaks "
                "or spaces differ); not ingested twice"
            )
    for row in rows:
        earlier = folder / str(row["file"])
        if earlier.is_file() and form_key(earlier.read_text(encoding="utf-8")) == key:
            raise IngestError(
                f"{name}: already ingested as {row['doc_id']} ({earlier}) in another form (punctuation, line breaks "
                "or spaces differ); not ingested twice"
            )


def load_user_documents(directory: Path | None = None) -> list[Document]:
    """The ingested reports (empty when nothing was ingested), checksummed like the seeds."""
    folder = user_corpus_dir(directory)
    if not (folder / MANIFEST).is_file():
        return []
    return load_documents(folder)
