"""Model pre-annotations for Label Studio: spans with per-span and per-task scores, uncertainty order.

Shared by `fazhi annotate push --model NAME` and the ML backend, so both send the same predictions.
Only the annotatable body is tagged (boilerplate excluded); the model reads it in the seeds' form
(``fazhi_ner.textform``: full-width punctuation, hard-wrapped lines) and its spans are mapped back, so offsets
are document offsets into the text as stored, as in every task of this project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fazhi_ner.annotation.tasks import build_task
from fazhi_ner.baselines.base import Baseline
from fazhi_ner.baselines.scored import task_score
from fazhi_ner.formats.labelstudio import region, scored_prediction
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import included_ranges
from fazhi_ner.spans import Span
from fazhi_ner.tagging.tagger import mapped, sentence_pieces


@dataclass(frozen=True)
class DocPrediction:
    """A model's spans over one text (document offsets), their scores and the task's score."""

    spans: tuple[Span, ...]
    span_scores: tuple[float | None, ...]
    score: float | None


def predict_ranges(model: Baseline, text: str, ranges: Sequence[tuple[int, int]]) -> DocPrediction:
    """Tag the regions ``ranges`` of ``text`` (each normalised and split into sentences); document-offset spans."""
    pieces = [piece for a, b in ranges for piece in sentence_pieces(a, text[a:b])]
    results = model.predict_scored([piece.read for piece in pieces])
    spans: list[Span] = []
    scores: list[float | None] = []
    for piece, result in zip(pieces, results, strict=True):
        start, _, sentence_spans = mapped(piece, result)
        spans += [s.shifted(start) for s in sentence_spans]
        scores += list(result.span_scores)
    return DocPrediction(tuple(spans), tuple(scores), task_score([r.score for r in results]))


def predict_document(model: Baseline, doc: Document) -> DocPrediction:
    return predict_ranges(model, doc.text, list(included_ranges(doc)))


def predict_task_data(model: Baseline, data: dict[str, Any], documents: dict[str, Document] | None = None) -> DocPrediction:
    """Predictions for a Label Studio task's data: the known document's body sentences, else the text's sentences
    within ``body_start``/``body_end`` when given."""
    text = data.get("text")
    if not isinstance(text, str):
        text = next((v for v in data.values() if isinstance(v, str)), "")
    doc = (documents or {}).get(str(data.get("doc_id")))
    if doc is not None and doc.text == text:
        return predict_document(model, doc)
    start = data.get("body_start") if isinstance(data.get("body_start"), int) else 0
    end = data.get("body_end") if isinstance(data.get("body_end"), int) else len(text)
    return predict_ranges(model, text, [(max(0, start), min(len(text), end))])


def prediction_json(text: str, predicted: DocPrediction, model_version: str) -> dict[str, Any]:
    """One Label Studio prediction: ``model_version``, task ``score`` and regions each with its ``score``."""
    regions = [
        region(Span(span.start, span.end, span.label, text[span.start : span.end]), score=score)
        for span, score in zip(predicted.spans, predicted.span_scores, strict=True)
    ]
    return scored_prediction(regions, model_version, predicted.score)


def model_task(doc: Document, prediction: DocPrediction, model_version: str) -> dict[str, Any]:
    """The import JSON of one document with the model's prediction (same data fields as rule-predicted tasks)."""
    task = build_task(doc)
    task["predictions"] = [prediction_json(doc.text, prediction, model_version)]
    return task


def uncertainty_order(items: Sequence[tuple[str, DocPrediction]]) -> list[str]:
    """Keys ordered least confident first (lowest task score); unscored last; ties by key, so the order is stable."""
    return [k for k, p in sorted(items, key=lambda kp: (kp[1].score is None, kp[1].score or 0.0, kp[0]))]
