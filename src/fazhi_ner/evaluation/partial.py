"""Partial-match scores in the MUC / SemEval-2013 sense (schemas strict, exact, partial, type).

The matching is nervaluate 1.2.1's, re-implemented on our Span records (half-open offsets, no
tag round trip) so it runs in one pass; tests check it equals nervaluate on random and hand cases.
Per label, like nervaluate 1.2.1, gold and predictions are first filtered to that label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span
from fazhi_ner.stats import prf

SCHEMAS: tuple[str, ...] = ("strict", "exact", "partial", "type")
CATEGORIES: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENT = 1.0  # nervaluate's default threshold


@dataclass(frozen=True)
class MatchCounts:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(*(getattr(self, c) + getattr(other, c) for c in CATEGORIES))

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    def scores(self, schema: str) -> tuple[float, float, float]:
        """P/R/F1; partial matches count half under the partial and type schemas (SemEval-2013)."""
        hit = self.correct + (0.5 * self.partial if schema in ("partial", "type") else 0.0)
        return prf(hit, self.actual - hit, self.possible - hit)

    def as_dict(self, schema: str) -> dict[str, float | int]:
        p, r, f = self.scores(schema)
        row: dict[str, float | int] = {c: getattr(self, c) for c in CATEGORIES}
        row.update(possible=self.possible, actual=self.actual, precision=p, recall=r, f1=f)
        return row


def _overlaps(pred: Span, gold: Span) -> bool:
    """nervaluate's overlap test: overlap >= 1% of the gold span's length."""
    lo, hi = max(pred.start, gold.start), min(pred.end, gold.end)
    if hi <= lo:
        return False
    return (hi - lo) / (gold.end - gold.start) * 100.0 >= MIN_OVERLAP_PERCENT


def match(gold: Sequence[Span], pred: Sequence[Span], schema: str) -> MatchCounts:
    """Greedy matching of one sentence, prediction by prediction, in nervaluate 1.2.1's order."""
    return MatchCounts(*_match(gold, pred, schema))


def _match(gold: Sequence[Span], pred: Sequence[Span], schema: str) -> tuple[int, int, int, int, int]:
    """:func:`match` as plain ints (correct, incorrect, partial, missed, spurious), for the per-sentence loop."""
    correct = incorrect = partial = spurious = 0
    used: set[int] = set()
    for p in pred:
        best: int | None = None  # the match that counts as correct
        other: int | None = None  # first overlapping candidate (incorrect or partial)
        best_distance: int | None = None
        for j, g in enumerate(gold):
            if j in used:
                continue
            same_bounds = p.start == g.start and p.end == g.end
            if schema == "strict":
                if same_bounds and p.label == g.label:
                    best = j
                    break
                if other is None and _overlaps(p, g):
                    other = j
            elif schema == "exact":
                if same_bounds:
                    best = j
                    break
                if other is None and _overlaps(p, g):
                    other = j
            elif schema == "partial":
                if _overlaps(p, g):
                    if same_bounds:
                        best = j
                        break
                    if other is None:
                        other = j
            else:  # type: overlapping with the same label, closest boundaries win
                if _overlaps(p, g):
                    distance = abs(p.start - g.start) + abs(p.end - g.end)
                    if p.label == g.label:
                        if best_distance is None or distance < best_distance:
                            best, best_distance = j, distance
                    elif other is None:
                        other = j
        if best is not None:
            correct += 1
            used.add(best)
        elif other is not None:
            used.add(other)
            if schema == "partial":
                partial += 1
            else:
                incorrect += 1
        else:
            spurious += 1
    return correct, incorrect, partial, len(gold) - len(used), spurious


@dataclass(frozen=True)
class PartialReport:
    """Counts and scores per schema, overall and per label."""

    overall: dict[str, MatchCounts]
    per_label: dict[str, dict[str, MatchCounts]]

    def f1(self, schema: str = "partial", label: str | None = None) -> float:
        counts = self.overall[schema] if label is None else self.per_label[label][schema]
        return counts.scores(schema)[2]

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": {s: self.overall[s].as_dict(s) for s in SCHEMAS},
            "per_label": {
                name: {s: self.per_label[name][s].as_dict(s) for s in SCHEMAS} for name in sorted(self.per_label)
            },
        }


class PartialTally:
    """Match counts summed sentence by sentence in plain ints (a dataclass per addition was most of the cost)."""

    def __init__(self) -> None:
        self.overall = {s: [0] * len(CATEGORIES) for s in SCHEMAS}
        self.per_label = {name: {s: [0] * len(CATEGORIES) for s in SCHEMAS} for name in LABEL_NAMES}

    def add_identical(self, spans: Sequence[Span]) -> None:
        """A sentence predicted exactly: every span is correct under every schema, overall and per label."""
        n = len(spans)
        for s in SCHEMAS:
            self.overall[s][0] += n
        for span in spans:
            for s in SCHEMAS:
                self.per_label[span.label][s][0] += 1

    def add(self, gold: Sequence[Span], pred: Sequence[Span]) -> None:
        """One sentence's sorted gold and predicted spans; per label, both are first filtered to that label."""
        if not gold and not pred:
            return
        for s in SCHEMAS:
            row = self.overall[s]
            for i, x in enumerate(_match(gold, pred, s)):
                row[i] += x
        for name in LABEL_NAMES:
            gl = [x for x in gold if x.label == name]
            pl = [x for x in pred if x.label == name]
            if not gl and not pl:
                continue
            rows = self.per_label[name]
            for s in SCHEMAS:
                row = rows[s]
                for i, x in enumerate(_match(gl, pl, s)):
                    row[i] += x

    def report(self) -> PartialReport:
        return PartialReport(
            {s: MatchCounts(*v) for s, v in self.overall.items()},
            {name: {s: MatchCounts(*v) for s, v in rows.items()} for name, rows in self.per_label.items()},
        )


def partial_report(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> PartialReport:
    """Score sentence-aligned span lists (both in the same, sorted order) under every schema."""
    tally = PartialTally()
    for g, p in zip(gold, pred, strict=True):
        tally.add(g, p)
    return tally.report()
