"""The rows of the three dataset configs, computed from the seeds and the gold spans.

Pure Python (no pandas, no ``datasets``): the builder, the exporters, the card statistics and the
pandas helpers all read these rows, so every view of the data comes from one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import DatasetError, FaZhiError, GoldError
from fazhi_ner.gold import load_gold, sentence_spans, validate_document_spans
from fazhi_ner.labels import TAG_TO_ID
from fazhi_ner.seeds import Document, documents_by_id
from fazhi_ner.sentences import Sentence, document_sentences
from fazhi_ner.spans import Span, spans_to_tags, tags_to_spans
from fazhi_ner.splits import SPLIT_NAMES, fold_of, split_of

CONFIGS: tuple[str, ...] = ("sentences", "documents", "indicators", "agencies")
DEFAULT_CONFIG = "sentences"
READING_FIELDS: tuple[str, ...] = ("value", "raw_value", "unit", "multiplier", "modifier", "kind", "range_high")


@dataclass(frozen=True)
class GoldSentence:
    """A sentence of a gold document with its spans in sentence coordinates."""

    doc: Document
    sentence: Sentence
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class GoldDocument:
    """One annotated report: the document, its gold spans (document offsets) and its sentences."""

    doc: Document
    spans: tuple[Span, ...]
    sentences: tuple[GoldSentence, ...]

    @property
    def split(self) -> str:
        return split_of(self.doc.doc_id)

    @property
    def fold(self) -> int:
        return fold_of(self.doc.doc_id)


@dataclass(frozen=True)
class Corpus:
    """The gold corpus in manifest order, with the folder it was read from."""

    documents: tuple[GoldDocument, ...]
    gold_directory: Path

    def split_documents(self, split: str) -> list[GoldDocument]:
        return [d for d in self.documents if d.split == split]

    def sentences(self, split: str | None = None) -> list[GoldSentence]:
        return [s for d in self.documents if split is None or d.split == split for s in d.sentences]


def _gold_sentences(doc: Document, spans: Sequence[Span], where: str) -> tuple[GoldSentence, ...]:
    """Join a document's spans with its sentences; every span must lie inside exactly one sentence."""
    sentences = document_sentences(doc)
    out: list[GoldSentence] = []
    placed = 0
    for sentence in sentences:
        inside = tuple(sentence_spans(sentence, spans))
        placed += len(inside)
        out.append(GoldSentence(doc, sentence, inside))
    if placed != len(spans):
        starts = [(s.start, s.end) for s in sentences]
        for span in spans:
            if not any(a <= span.start and span.end <= b for a, b in starts):
                raise GoldError(
                    f"{where}: span [{span.start}, {span.end}) {span.label} {span.text!r} expected inside a "
                    "sentence, found it in the whitespace between sentences"
                )
    for gs in out:
        tags = spans_to_tags(gs.spans, len(gs.sentence.text))
        decoded = tags_to_spans(tags, text=gs.sentence.text)
        if [(s.start, s.end, s.label) for s in decoded] != [(s.start, s.end, s.label) for s in gs.spans]:
            raise GoldError(f"{where}: sentence {gs.sentence.id} spans do not survive the IOB2 round trip")
    return tuple(out)


def corpus_from_spans(gold: Mapping[str, Sequence[Span]], gold_directory: Path) -> Corpus:
    """Build the corpus from spans keyed by doc_id, validating each against its document and sentences."""
    docs = documents_by_id()
    documents: list[GoldDocument] = []
    for doc in docs.values():
        if doc.doc_id not in gold:
            continue
        where = str(gold_directory / f"{doc.doc_id}.jsonl")
        try:
            ordered = validate_document_spans(doc, gold[doc.doc_id], where=where)
        except FaZhiError as exc:
            raise GoldError(str(exc)) from None
        spans = tuple(Span(s.start, s.end, s.label, doc.text[s.start : s.end]) for s in ordered)
        split_of(doc.doc_id)
        fold_of(doc.doc_id)
        documents.append(GoldDocument(doc, spans, _gold_sentences(doc, spans, where)))
    return Corpus(tuple(documents), gold_directory)


def load_corpus(gold_directory: Path | None = None) -> Corpus:
    """Read and validate the gold folder; refuse an empty one (there is nothing to publish)."""
    from fazhi_ner.paths import gold_dir

    directory = Path(gold_directory) if gold_directory is not None else gold_dir()
    if not directory.is_dir() or not any(directory.glob("*.jsonl")):
        raise DatasetError(
            f"{directory}: no gold files (*.jsonl); the dataset is built only from gold written by "
            "`fazhi annotate convert`"
        )
    return corpus_from_spans(load_gold(directory), directory)


def _span_dicts(spans: Sequence[Span]) -> list[dict[str, object]]:
    return [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans]


def sentence_row(gs: GoldSentence) -> dict[str, object]:
    doc, sentence = gs.doc, gs.sentence
    tags = spans_to_tags(gs.spans, len(sentence.text))
    return {
        "id": sentence.id,
        "doc_id": doc.doc_id,
        "sentence_index": sentence.index,
        "text": sentence.text,
        "tokens": list(sentence.text),
        "ner_tags": [TAG_TO_ID[t] for t in tags],
        "spans": _span_dicts(gs.spans),
        "doc_start": sentence.start,
        "fold": fold_of(doc.doc_id),
        **doc.metadata(),
    }


def document_row(gd: GoldDocument) -> dict[str, object]:
    doc = gd.doc
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "body_start": doc.body_start,
        "body_end": doc.body_end,
        "excluded": [{"start": a, "end": b} for a, b in doc.excluded],
        "spans": _span_dicts(gd.spans),
        "num_sentences": len(gd.sentences),
        **doc.metadata(),
        "title": doc.title,
        "date_written": doc.date_written,
        "date_published": doc.date_published,
        "sha256": doc.sha256,
        "split": gd.split,
        "fold": gd.fold,
    }


Reader = Callable[[str], dict[str, object]]


def default_reader() -> Reader | None:
    """``fazhi_ner.indicators.read_indicator`` as a dict-returning function, or None when not installed."""
    try:
        from fazhi_ner.indicators import read_indicator
    except ImportError:
        return None

    def read(text: str) -> dict[str, object]:
        reading = read_indicator(text)
        return {name: getattr(reading, name, None) for name in READING_FIELDS}

    return read


def _as_float(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DatasetError(f"indicator reading expected a number or null, found {value!r}") from None


def _as_str(value: object) -> str | None:
    return None if value is None else str(value)


def indicator_rows(gs: GoldSentence, reader: Reader | None) -> list[dict[str, object]]:
    rows = []
    for span in gs.spans:
        if span.label != "INDICATOR":
            continue
        reading = reader(span.text) if reader is not None else dict.fromkeys(READING_FIELDS)
        rows.append(
            {
                "id": f"{gs.sentence.id}-{span.start:04d}",
                "doc_id": gs.doc.doc_id,
                "sentence_id": gs.sentence.id,
                "sentence_text": gs.sentence.text,
                "text": span.text,
                "start": span.start,
                "end": span.end,
                "doc_start": span.start + gs.sentence.start,
                "doc_end": span.end + gs.sentence.start,
                "value": _as_float(reading.get("value")),
                "raw_value": _as_str(reading.get("raw_value")),
                "unit": _as_str(reading.get("unit")),
                "multiplier": _as_float(reading.get("multiplier")),
                "modifier": _as_str(reading.get("modifier")),
                "kind": _as_str(reading.get("kind")),
                "range_high": _as_float(reading.get("range_high")),
                **metric_fields(gs.doc.doc_id, span.start + gs.sentence.start, span.end + gs.sentence.start),
                "fold": fold_of(gs.doc.doc_id),
                **indicator_metadata(gs.doc),
            }
        )
    return rows


def metric_fields(doc_id: str, doc_start: int, doc_end: int) -> dict[str, object]:
    """The gold metric link of an INDICATOR (issue 15); nulls when the span has no link gold."""
    from fazhi_ner.links.dataset_fields import metric_fields as fields

    return fields(doc_id, doc_start, doc_end)


def agency_rows(gs: GoldSentence) -> list[dict[str, object]]:
    """One row per AGENCY mention with its gold body type (the ``agencies`` config, issue 15)."""
    from fazhi_ner.links.dataset_fields import body_fields

    return [
        {
            "id": f"{gs.sentence.id}-{span.start:04d}",
            "doc_id": gs.doc.doc_id,
            "sentence_id": gs.sentence.id,
            "sentence_text": gs.sentence.text,
            "text": span.text,
            "start": span.start,
            "end": span.end,
            "doc_start": span.start + gs.sentence.start,
            "doc_end": span.end + gs.sentence.start,
            **body_fields(gs.doc.doc_id, span.start + gs.sentence.start, span.end + gs.sentence.start),
            "fold": fold_of(gs.doc.doc_id),
            **indicator_metadata(gs.doc),
        }
        for span in gs.spans
        if span.label == "AGENCY"
    ]


def indicator_metadata(doc: Document) -> dict[str, object]:
    """Report metadata for an indicator row; ``unit`` is the reading's unit there, so the government is ``report_unit``."""
    meta = doc.metadata()
    return {
        "province": meta["province"],
        "prefecture": meta["prefecture"],
        "report_unit": meta["unit"],
        "unit_type": meta["unit_type"],
        "year": meta["year"],
    }


def config_rows(corpus: Corpus, reader: Reader | None = None) -> dict[str, dict[str, list[dict[str, object]]]]:
    """``{config: {split: rows}}`` for every config and every split, rows in manifest then text order."""
    out: dict[str, dict[str, list[dict[str, object]]]] = {c: {s: [] for s in SPLIT_NAMES} for c in CONFIGS}
    for gd in corpus.documents:
        out["documents"][gd.split].append(document_row(gd))
        for gs in gd.sentences:
            out["sentences"][gd.split].append(sentence_row(gs))
            out["indicators"][gd.split].extend(indicator_rows(gs, reader))
            out["agencies"][gd.split].extend(agency_rows(gs))
    return out
