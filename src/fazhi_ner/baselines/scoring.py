"""Baseline scoring goes through the evaluation harness, so a baseline's numbers are the leaderboard's numbers.

:func:`score` is the summary row of :func:`fazhi_ner.evaluation.harness.evaluate` without bootstrap (used for
model selection on the development report); reports use :func:`fazhi_ner.evaluation.summary.score_split`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fazhi_ner.corpus import Example
from fazhi_ner.spans import Span

if TYPE_CHECKING:
    from fazhi_ner.scores import SplitSummary


def summary(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]]) -> SplitSummary:
    """Strict micro and per-label scores over every gold sentence (a missing prediction means no spans)."""
    from fazhi_ner.evaluation.harness import evaluate
    from fazhi_ner.evaluation.summary import summarise_result

    known = {ex.id for ex in gold}
    result = evaluate(list(gold), {k: v for k, v in predicted.items() if k in known}, bootstrap=0, allow_missing=True)
    return summarise_result(result)


def score(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]]) -> dict[str, Any]:
    """:func:`summary` in its JSON form."""
    return summary(gold, predicted).to_data()


def micro_f1(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]]) -> float:
    return float(summary(gold, predicted).micro.f1)
