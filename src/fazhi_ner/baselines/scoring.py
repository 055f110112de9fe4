"""Strict entity scores (seqeval, mode="strict", scheme=IOB2) of predicted spans against gold examples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fazhi_ner.corpus import Example
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span, spans_to_tags


def _strict_report(y_true: list[list[str]], y_pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Per-label and micro precision/recall/F1/support from the evaluation harness (seqeval strict IOB2)."""
    from fazhi_ner.evaluation.metrics import strict_report

    report = strict_report(y_true, y_pred)
    out = {
        name: {"precision": row.precision, "recall": row.recall, "f1": row.f1, "support": row.support}
        for name, row in report.per_label.items()
    }
    out["micro"] = {
        "precision": report.micro_precision,
        "recall": report.micro_recall,
        "f1": report.micro_f1,
        "support": report.support,
    }
    return out


def score(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]]) -> dict[str, Any]:
    """Strict micro and per-label scores over every gold sentence (a missing prediction means no spans)."""
    y_true = [ex.tags() for ex in gold]
    y_pred = [spans_to_tags(predicted.get(ex.id, ()), len(ex.text)) for ex in gold]
    report = _strict_report(y_true, y_pred)
    return {"micro": report["micro"], "per_label": {name: report[name] for name in LABEL_NAMES}}


def micro_f1(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]]) -> float:
    return float(score(gold, predicted)["micro"]["f1"])
