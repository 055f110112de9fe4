"""The official metric: seqeval in strict IOB2 mode, behind one wrapper so the scheme is never dropped.

seqeval's ``mode="strict"`` without ``scheme=`` silently falls back to lenient (conlleval-style)
scoring, so nothing in this package calls seqeval except :func:`seqeval_strict_dict`, which always
passes both. Per-sentence count arrays for the bootstrap come from :func:`sentence_counts`, whose
totals are checked against seqeval on every report.
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
    """Score tag sequences with seqeval strict IOB2; every label of the schema is listed (zeros if absent)."""
    return strict_report_with_counts(y_true, y_pred)[0]


def strict_report_with_counts(y_true: list[list[str]], y_pred: list[list[str]]) -> tuple[StrictReport, np.ndarray]:
    """The report and the (sentences, labels, 3) count array it was checked against."""
    raw = seqeval_strict_dict(y_true, y_pred)
    counts = sentence_counts(y_true, y_pred)
    totals = counts.sum(axis=0) if len(counts) else np.zeros((len(LABEL_NAMES), 3), dtype=np.int64)
    per_label: dict[str, LabelScore] = {}
    for i, name in enumerate(LABEL_NAMES):
        tp, fp, fn = (int(x) for x in totals[i])
        row = raw.get(name, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0.0})
        if int(row["support"]) != tp + fn or not math.isclose(row["precision"], prf(tp, fp, fn)[0]):
            raise MetricError(
                f"label {name}: seqeval support/precision {row} disagree with counts tp={tp} fp={fp} fn={fn}"
            )
        per_label[name] = LabelScore(row["precision"], row["recall"], row["f1-score"], tp + fn, tp, fp, fn)
    tp, fp, fn = (int(x) for x in totals.sum(axis=0))
    micro, macro = raw["micro avg"], raw["macro avg"]
    if not math.isclose(micro["f1-score"], prf(tp, fp, fn)[2], abs_tol=1e-12):
        raise MetricError(f"micro F1 {micro['f1-score']} from seqeval disagrees with counts tp={tp} fp={fp} fn={fn}")
    report = StrictReport(
        micro_precision=micro["precision"],
        micro_recall=micro["recall"],
        micro_f1=micro["f1-score"],
        macro_precision=macro["precision"],
        macro_recall=macro["recall"],
        macro_f1=macro["f1-score"],
        per_label=per_label,
        support=tp + fn,
        counts={"tp": tp, "fp": fp, "fn": fn},
    )
    return report, counts


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


def scores_from_counts(totals: np.ndarray) -> dict[str, object]:
    """Micro, macro (over labels with gold or predictions, as seqeval) and per-label P/R/F1 from (labels, 3)."""
    per_label = {name: prf(*(int(x) for x in totals[i])) for i, name in enumerate(LABEL_NAMES)}
    present = [i for i in range(len(LABEL_NAMES)) if totals[i, 0] + totals[i, 1] + totals[i, 2] > 0]
    macro = [float(np.mean([per_label[LABEL_NAMES[i]][k] for i in present])) if present else 0.0 for k in range(3)]
    return {"micro": prf(*(int(x) for x in totals.sum(axis=0))), "macro": tuple(macro), "per_label": per_label}
