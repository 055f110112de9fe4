"""The official metric: seqeval's strict IOB2 scores, computed from our own count arrays.

The harness decodes entities once (:func:`fazhi_ner.spans.tags_to_spans` reads tags exactly as seqeval's
``mode="strict", scheme=IOB2`` does) and derives every figure from the per-sentence (tp, fp, fn) counts with
seqeval's formulas (:func:`fazhi_ner.stats.prf`; macro = mean over the labels in gold or predictions), so the
report costs one pass instead of a second decoding by seqeval. seqeval stays the cross-check:
:func:`cross_check` compares a report with seqeval's bit for bit (the tests run it on random data). seqeval's
``mode="strict"`` without ``scheme=`` silently falls back to lenient scoring, so nothing here calls seqeval
except :func:`seqeval_strict_dict`, which always passes both.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from fazhi_ner.errors import FaZhiError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span, tags_to_spans
from fazhi_ner.stats import prf


class MetricError(FaZhiError):
    """Our strict counts disagree with seqeval's (a bug, never a data problem)."""


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class StrictReport:
    """seqeval strict IOB2 scores: micro and macro P/R/F1, per label, support and the tp/fp/fn counts."""

    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    per_label: dict[str, LabelScore] = field(default_factory=dict)
    support: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # tp, fp, fn over all labels

    def as_dict(self) -> dict[str, object]:
        return {
            "micro": {"precision": self.micro_precision, "recall": self.micro_recall, "f1": self.micro_f1},
            "macro": {"precision": self.macro_precision, "recall": self.macro_recall, "f1": self.macro_f1},
            "per_label": {name: score.as_dict() for name, score in sorted(self.per_label.items())},
            "support": self.support,
            "counts": dict(sorted(self.counts.items())),
        }


def seqeval_strict_dict(y_true: list[list[str]], y_pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """``seqeval.metrics.classification_report`` with mode="strict" AND scheme=IOB2, as a dict of floats."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zero-division and empty-mean warnings: the zeros are reported as zeros
        raw = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    return {key: {k: _num(v) for k, v in row.items()} for key, row in raw.items()}


def _num(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    return 0.0 if math.isnan(number) else number


def strict_report(y_true: list[list[str]], y_pred: list[list[str]]) -> StrictReport:
    """Score tag sequences as seqeval strict IOB2 does; every label of the schema is listed (zeros if absent)."""
    return strict_report_from_counts(sentence_counts(y_true, y_pred))


def strict_report_from_counts(counts: np.ndarray) -> StrictReport:
    """The report of (sentences, labels, 3) or (labels, 3) tp/fp/fn counts, with seqeval's arithmetic."""
    totals = counts.reshape(-1, len(LABEL_NAMES), 3).sum(axis=0)
    per_label: dict[str, LabelScore] = {}
    for i, name in enumerate(LABEL_NAMES):
        tp, fp, fn = (int(x) for x in totals[i])
        per_label[name] = LabelScore(*prf(tp, fp, fn), tp + fn, tp, fp, fn)
    tp, fp, fn = (int(x) for x in totals.sum(axis=0))
    micro = prf(tp, fp, fn)
    # seqeval averages the labels it saw, in sorted order (the sum's order shows in the last bit); none seen
    # gives NaN there, reported as 0
    seen = [per_label[name] for name in sorted(LABEL_NAMES) if per_label[name].support or per_label[name].fp]
    macro = [float(np.mean([getattr(row, k) for row in seen])) if seen else 0.0 for k in ("precision", "recall", "f1")]
    return StrictReport(*micro, *macro, per_label=per_label, support=tp + fn, counts={"tp": tp, "fp": fp, "fn": fn})


def cross_check(y_true: list[list[str]], y_pred: list[list[str]], report: StrictReport) -> None:
    """Raise :class:`MetricError` unless seqeval's own report gives exactly ``report``'s figures."""
    raw = seqeval_strict_dict(y_true, y_pred)
    expected = [("micro", raw["micro avg"], (report.micro_precision, report.micro_recall, report.micro_f1))]
    if any(name in raw for name in LABEL_NAMES):
        expected.append(("macro", raw["macro avg"], (report.macro_precision, report.macro_recall, report.macro_f1)))
    for name in LABEL_NAMES:
        row = report.per_label[name]
        if name in raw:
            expected.append((name, raw[name], (row.precision, row.recall, row.f1)))
            if int(raw[name]["support"]) != row.support:
                raise MetricError(f"label {name}: seqeval support {raw[name]['support']} vs ours {row.support}")
        elif row.support or row.fp:
            raise MetricError(f"label {name}: absent from seqeval's report but ours counts {row}")
    for what, theirs, ours in expected:
        if (theirs["precision"], theirs["recall"], theirs["f1-score"]) != ours:
            raise MetricError(f"{what}: seqeval {theirs} differs from ours {ours}")


def span_counts(gold: Sequence[Span], pred: Sequence[Span]) -> np.ndarray:
    """(labels, 3) array of tp, fp, fn for one sentence: exact boundary and label match."""
    out = np.zeros((len(LABEL_NAMES), 3), dtype=np.int64)
    gold_keys = {(s.start, s.end, s.label) for s in gold}
    pred_keys = {(s.start, s.end, s.label) for s in pred}
    index = {name: i for i, name in enumerate(LABEL_NAMES)}
    for key in pred_keys:
        out[index[key[2]], 0 if key in gold_keys else 1] += 1
    for key in gold_keys - pred_keys:
        out[index[key[2]], 2] += 1
    return out


def sentence_counts(y_true: list[list[str]], y_pred: list[list[str]]) -> np.ndarray:
    """(sentences, labels, 3) tp/fp/fn counts, decoding tags the way seqeval strict IOB2 does."""
    out = np.zeros((len(y_true), len(LABEL_NAMES), 3), dtype=np.int64)
    for i, (t, p) in enumerate(zip(y_true, y_pred, strict=True)):
        out[i] = span_counts(tags_to_spans(t), tags_to_spans(p))
    return out
