"""Spans with confidence scores from any baseline.

The baseline interface (``Baseline.predict``) returns spans only. A model may add an optional method
``predict_scored(texts) -> list[Scored]``; a character CRF built on pycrfsuite (``_crf`` tagger plus a
``_features`` method, as ``CrfBaseline``) is scored here from its marginals; any other model is used
through ``predict`` and gets no scores (``None``), which orders last-but-stable in uncertainty sorting.

Scores, for a CRF: a span's score is the smallest marginal probability of its characters' predicted tags
(how sure the model is of the weakest character of the span); a sentence's score is the smallest marginal
of the predicted tag over all its characters, spans or not (so a probable missed entity also lowers it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_ner.rules.agency_prefix import split_agency_prefix
from fazhi_ner.spans import Span, tags_to_spans


@dataclass(frozen=True)
class Scored:
    """One text's predicted spans, their scores (parallel to ``spans``) and the text's own score."""

    spans: tuple[Span, ...]
    span_scores: tuple[float | None, ...]
    score: float | None


def _crf_scored(model, texts: Sequence[str]) -> list[Scored]:  # noqa: ANN001
    tagger = model._crf
    out: list[Scored] = []
    for text, features in zip(texts, model._features(texts), strict=True):
        tagger.set(features)
        tags = tagger.tag()
        marginals = [tagger.marginal(tag, i) for i, tag in enumerate(tags)]
        spans = [Span(s.start, s.end, s.label, text[s.start : s.end]) for s in tags_to_spans(tags)]
        span_scores = tuple(round(min(marginals[s.start : s.end]), 4) for s in spans)
        out.append(Scored(tuple(spans), span_scores, round(min(marginals), 4) if marginals else 1.0))
    return out


def has_scores(model) -> bool:  # noqa: ANN001
    if hasattr(model, "predict_scored"):
        return True
    tagger = getattr(model, "_crf", None)
    return tagger is not None and hasattr(tagger, "marginal") and hasattr(model, "_features")


def _split_agencies(result: Scored, text: str) -> Scored:
    """The shared decoding step (``rules.agency_prefix``): an agency at an INDICATOR's start gets its own span;
    both parts keep the span's score."""
    spans: list[Span] = []
    scores: list[float | None] = []
    for span, score in zip(result.spans, result.span_scores, strict=True):
        parts = split_agency_prefix([span], text)
        spans += parts
        scores += [score] * len(parts)
    return Scored(tuple(spans), tuple(scores), result.score)


def predict_scored(model, texts: Sequence[str]) -> list[Scored]:  # noqa: ANN001
    """Scored predictions for ``texts`` from any model implementing the baseline interface."""
    if not texts:
        return []
    custom = getattr(model, "predict_scored", None)
    if custom is not None:
        results = list(custom(texts))
    elif has_scores(model):
        results = _crf_scored(model, texts)
    else:
        results = [Scored(tuple(spans), tuple(None for _ in spans), None) for spans in model.predict(list(texts))]
    return [_split_agencies(result, text) for result, text in zip(results, texts, strict=True)]


def task_score(sentence_scores: Sequence[float | None]) -> float | None:
    """A document's score: the mean sentence score (None when the model gives no scores)."""
    known = [s for s in sentence_scores if s is not None]
    return round(sum(known) / len(known), 4) if known else None
