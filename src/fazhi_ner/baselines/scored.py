"""A model's scored output for one text, and the decoding step every model's output goes through.

Scores live here, beside the baseline interface, so each model class says how sure it is of its own spans
(:meth:`fazhi_ner.baselines.base.Baseline.score`) and no caller has to know which kind of model it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_ner.spans import Span


@dataclass(frozen=True)
class Scored:
    """One text's predicted spans, their scores (parallel to ``spans``) and the text's own score.

    A score is a probability-like confidence in [0, 1], or None when the model has none (the rule tagger).
    """

    spans: tuple[Span, ...]
    span_scores: tuple[float | None, ...]
    score: float | None


def unscored(spans: Sequence[Span]) -> Scored:
    """Spans of a model without confidences: every score is None (ordered last-but-stable when sorting)."""
    return Scored(tuple(spans), tuple(None for _ in spans), None)


def split_agencies(result: Scored, text: str) -> Scored:
    """The shared decoding step (``rules.agency_prefix``): an agency at an INDICATOR's start gets its own span;
    both parts keep the span's score."""
    from fazhi_ner.rules.agency_prefix import split_agency_prefix  # lazy: the rule gazetteers load on first use

    spans: list[Span] = []
    scores: list[float | None] = []
    for span, score in zip(result.spans, result.span_scores, strict=True):
        parts = split_agency_prefix([span], text)
        spans += parts
        scores += [score] * len(parts)
    return Scored(tuple(spans), tuple(scores), result.score)


def task_score(sentence_scores: Sequence[float | None]) -> float | None:
    """A document's score: the mean sentence score (None when the model gives no scores)."""
    known = [s for s in sentence_scores if s is not None]
    return round(sum(known) / len(known), 4) if known else None
