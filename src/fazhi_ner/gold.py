"""The gold span files: ``annotation/gold/<doc_id>.jsonl``, one span per line, sorted.

Each line is ``{"doc_id", "start", "end", "label", "text"}`` with document offsets. They are
written only by ``fazhi annotate convert`` from Label Studio exports and read by everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.errors import FaZhiError, GoldError
from fazhi_ner.formats.jsonl import read_jsonl, write_jsonl
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.paths import gold_dir
from fazhi_ner.seeds import Document, documents_by_id
from fazhi_ner.sentences import Sentence
from fazhi_ner.spans import Span, validate_spans
from fazhi_ner.splits import is_user_document


def validate_document_spans(doc: Document, spans: Iterable[Span], *, where: str | None = None) -> list[Span]:
    """Validate spans against a document: labels, text at offsets, overlap, body and exclusions."""
    where = where or doc.doc_id
    ordered = validate_spans(spans, doc.text, where=where, bounds=(doc.body_start, doc.body_end))
    for span in ordered:
        if not doc.in_body(span.start, span.end):
            raise GoldError(
                f"{where}: span [{span.start}, {span.end}) {span.label} touches an excluded boilerplate range"
            )
    return ordered


def spans_to_jsonl(doc_id: str, spans: Iterable[Span]) -> str:
    return write_jsonl({"doc_id": doc_id, "start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans)


def gold_text(doc: Document, spans: Iterable[Span]) -> str:
    """The content of one document's gold file: the spans validated against the text, sorted, with their text."""
    ordered = validate_document_spans(doc, [Span(s.start, s.end, s.label, doc.text[s.start : s.end]) for s in spans])
    return spans_to_jsonl(doc.doc_id, ordered)


def write_gold(doc: Document, spans: Iterable[Span], directory: Path | None = None) -> Path:
    """Validate and atomically write one document's gold file; returns its path."""
    path = (directory or gold_dir()) / f"{doc.doc_id}.jsonl"
    atomic_write_text(path, gold_text(doc, spans))
    return path


def read_gold_file(path: Path, doc: Document) -> list[Span]:
    """Read and validate one gold file; errors name the file and line."""
    spans: list[Span] = []
    for line in read_jsonl(path):
        where, row = line.where, line.row
        if line.error is not None:
            raise GoldError(f"{where}: {line.error}")
        if not isinstance(row, dict) or not {"doc_id", "start", "end", "label", "text"} <= row.keys():
            raise GoldError(
                f"{where}: expected an object with doc_id, start, end, label, text; found {str(row)[:80]!r}"
            )
        if row["doc_id"] != doc.doc_id:
            raise GoldError(f"{where}: doc_id expected {doc.doc_id!r}, found {row['doc_id']!r}")
        if not isinstance(row["start"], int) or not isinstance(row["end"], int):
            raise GoldError(f"{where}: start/end expected integers, found {row['start']!r}, {row['end']!r}")
        if row["label"] not in LABEL_NAMES:
            raise GoldError(f"{where}: unknown label {row['label']!r}, expected one of {', '.join(LABEL_NAMES)}")
        start, end = row["start"], row["end"]
        if not 0 <= start < end <= len(doc.text):
            raise GoldError(f"{where}: offsets expected 0 <= start < end <= {len(doc.text)}, found [{start}, {end})")
        if doc.text[start:end] != row["text"]:
            raise GoldError(
                f"{where}: expected text {doc.text[start:end]!r} at [{start}, {end}), found {str(row['text'])[:40]!r}"
            )
        spans.append(Span(row["start"], row["end"], row["label"], row["text"]))
    try:
        return validate_document_spans(doc, spans, where=str(path))
    except FaZhiError as exc:
        raise GoldError(str(exc)) from None


PENDING_HINT = (
    "ingested, not annotated yet: left out of the dataset until annotated (`fazhi annotate push`, annotate in "
    "Label Studio, `fazhi annotate pull`, then `fazhi annotate convert` on the export)"
)


def pending_documents(directory: Path | None = None, doc_ids: Iterable[str] | None = None) -> list[str]:
    """Ingested reports (``user-…``) with no gold file yet: waiting for annotation, not an error."""
    directory = directory or gold_dir()
    wanted = sorted(doc_ids if doc_ids is not None else documents_by_id())
    return [d for d in wanted if is_user_document(d) and not (directory / f"{d}.jsonl").is_file()]


def check_complete(directory: Path, doc_ids: Iterable[str] | None = None) -> None:
    """Every seed report must have a gold file: a missing one would silently drop a report. An ingested report
    without one is pending (see :func:`pending_documents`), not an error."""
    wanted = sorted(doc_ids if doc_ids is not None else documents_by_id())
    missing = [d for d in wanted if not is_user_document(d) and not (directory / f"{d}.jsonl").is_file()]
    if missing:
        raise GoldError(
            f"{directory / (missing[0] + '.jsonl')}: gold file missing; the manifest lists {len(wanted)} documents, "
            f"found no gold for {', '.join(missing)}; run `fazhi annotate convert-all`"
        )


def load_gold(directory: Path | None = None, *, complete: bool = False) -> dict[str, list[Span]]:
    """Gold spans for every document that has a gold file, keyed by doc_id.

    With ``complete`` every manifest document must have its gold file (the dataset build needs that).
    """
    directory = directory or gold_dir()
    docs = documents_by_id()
    gold: dict[str, list[Span]] = {}
    if not directory.is_dir():
        raise GoldError(f"{directory}: gold folder not found; run `fazhi annotate convert` on the exports")
    if complete:
        check_complete(directory, docs)
    for path in sorted(directory.glob("*.jsonl")):
        doc_id = path.stem
        if doc_id not in docs:
            raise GoldError(f"{path}: no seed document {doc_id!r} in the manifest")
        gold[doc_id] = read_gold_file(path, docs[doc_id])
    return gold


def sentence_spans(sentence: Sentence, doc_spans: Iterable[Span]) -> list[Span]:
    """Spans inside a sentence, in sentence coordinates. Spans crossing a sentence boundary are errors."""
    inside: list[Span] = []
    for span in doc_spans:
        if span.end <= sentence.start or span.start >= sentence.end:
            continue
        if span.start < sentence.start or span.end > sentence.end:
            raise GoldError(
                f"{sentence.doc_id}: span [{span.start}, {span.end}) {span.label} crosses the boundary of "
                f"sentence {sentence.id} [{sentence.start}, {sentence.end})"
            )
        inside.append(span.shifted(-sentence.start))
    return inside
