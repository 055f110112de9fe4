"""The rows of the three dataset configs, computed from the seeds and the gold spans.

Pure Python (no pandas, no ``datasets``): the builder, the exporters, the card statistics and the
pandas helpers all read these rows, so every view of the data comes from one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fazhi_ner.corpus import Corpus, GoldDocument, GoldSentence, corpus_from_spans, gold_sentences, load_corpus
from fazhi_ner.errors import DatasetError
from fazhi_ner.labels import TAG_TO_ID
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span, spans_to_tags
from fazhi_ner.splits import SPLIT_NAMES

__all__ = [  # the corpus model lives in fazhi_ner.corpus; re-exported for the dataset code
    "Corpus",
    "GoldDocument",
    "GoldSentence",
    "corpus_from_spans",
    "gold_sentences",
    "load_corpus",
    "config_rows",
]

CONFIGS: tuple[str, ...] = ("sentences", "documents", "indicators", "agencies")
DEFAULT_CONFIG = "sentences"
# The corpus we wrote ourselves (fazhi_ner.synthetic): sentence rows like `sentences`, one `train` split only.
SYNTHETIC_CONFIG = "synthetic"
ALL_CONFIGS: tuple[str, ...] = (*CONFIGS, SYNTHETIC_CONFIG)
READING_FIELDS: tuple[str, ...] = ("value", "raw_value", "unit", "multiplier", "modifier", "kind", "range_high")


def _span_dicts(spans: Sequence[Span]) -> list[dict[str, object]]:
    return [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans]


def sentence_row(gs: GoldSentence, fold: int) -> dict[str, object]:
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
        "fold": fold,
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


def indicator_rows(gs: GoldSentence, reader: Reader | None, fold: int) -> list[dict[str, object]]:
    rows = []
    for span in gs.spans:
        if span.label != "INDICATOR":
            continue
        reading = reader(span.text) if reader is not None else dict.fromkeys(READING_FIELDS)
        rows.append(
            {
                **_mention_fields(gs, span),
                "value": _as_float(reading.get("value")),
                "raw_value": _as_str(reading.get("raw_value")),
                "unit": _as_str(reading.get("unit")),
                "multiplier": _as_float(reading.get("multiplier")),
                "modifier": _as_str(reading.get("modifier")),
                "kind": _as_str(reading.get("kind")),
                "range_high": _as_float(reading.get("range_high")),
                **metric_fields(gs.doc.doc_id, span.start + gs.sentence.start, span.end + gs.sentence.start),
                "fold": fold,
                **indicator_metadata(gs.doc),
            }
        )
    return rows


def _mention_fields(gs: GoldSentence, span: Span) -> dict[str, object]:
    """Where a mention sits: the leading columns shared by the ``indicators`` and ``agencies`` configs."""
    return {
        "id": f"{gs.sentence.id}-{span.start:04d}",
        "doc_id": gs.doc.doc_id,
        "sentence_id": gs.sentence.id,
        "sentence_text": gs.sentence.text,
        "text": span.text,
        "start": span.start,
        "end": span.end,
        "doc_start": span.start + gs.sentence.start,
        "doc_end": span.end + gs.sentence.start,
    }


def metric_fields(doc_id: str, doc_start: int, doc_end: int) -> dict[str, object]:
    """The gold metric link of an INDICATOR (issue 15); nulls when the span has no link gold."""
    from fazhi_ner.links.dataset_fields import metric_fields as fields

    return fields(doc_id, doc_start, doc_end)


def agency_rows(gs: GoldSentence, fold: int) -> list[dict[str, object]]:
    """One row per AGENCY mention with its gold body type (the ``agencies`` config, issue 15)."""
    from fazhi_ner.links.dataset_fields import body_fields

    return [
        {
            **_mention_fields(gs, span),
            **body_fields(gs.doc.doc_id, span.start + gs.sentence.start, span.end + gs.sentence.start),
            "fold": fold,
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
            out["sentences"][gd.split].append(sentence_row(gs, gd.fold))
            out["indicators"][gd.split].extend(indicator_rows(gs, reader, gd.fold))
            out["agencies"][gd.split].extend(agency_rows(gs, gd.fold))
    return out


def synthetic_rows(corpus: Corpus | None) -> list[dict[str, object]]:
    """Rows of the ``synthetic`` config: the written documents' sentences (fold -1: never held out)."""
    if corpus is None:
        return []
    return [sentence_row(gs, gd.fold) for gd in corpus.documents for gs in gd.sentences]
