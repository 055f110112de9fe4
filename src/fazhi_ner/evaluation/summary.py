"""The one test summary and the one cross-validation summary, used by the baselines, the leaderboard and the card.

Before this module the baselines scored with their own helper and error classifier and the leaderboard
averaged folds, so the same predictions gave different numbers in different files. Everything now goes
through :func:`fazhi_ner.evaluation.harness.evaluate`:

- :func:`summarise_result` turns one evaluation into the row every report shows (micro and per-label
  P/R/F1 with bootstrap CIs, macro F1, partial F1, error counts);
- :func:`cv_summary` scores leave-one-report-out predictions POOLED over every held-out sentence (one
  F1 per seed), with the per-fold F1 beside it; several seeds give mean and sample std.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from fazhi_ner.corpus import Example
from fazhi_ner.evaluation.harness import EvaluationResult, evaluate
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span
from fazhi_ner.splits import FOLD_ORDER

BOOTSTRAP = 1000
SEED = 0
CV_METHOD = "pooled: strict micro F1 over all held-out sentences of the folds, one figure per seed; mean and sample std over seeds"

Predictions = Mapping[str, Sequence[Span] | Sequence[str]]


def _r(x: float) -> float:
    return round(float(x), 6)


def _ci(result: EvaluationResult, name: str) -> list[float] | None:
    return result.ci(name, digits=6)


def summarise_result(result: EvaluationResult) -> dict[str, Any]:
    """The scoring row of one evaluation (rounded; CIs present when the evaluation bootstrapped)."""
    s = result.strict
    return {
        "micro": {
            "precision": _r(s.micro_precision),
            "recall": _r(s.micro_recall),
            "f1": _r(s.micro_f1),
            "ci": _ci(result, "micro_f1"),
        },
        "macro_f1": _r(s.macro_f1),
        "per_label": {
            name: {
                "precision": _r(s.per_label[name].precision),
                "recall": _r(s.per_label[name].recall),
                "f1": _r(s.per_label[name].f1),
                "ci": _ci(result, f"f1_{name}"),
                "support": s.per_label[name].support,
            }
            for name in LABEL_NAMES
        },
        "partial_f1": {schema: _r(result.partial.f1(schema)) for schema in ("strict", "exact", "partial", "type")},
        "invalid_iob2_transitions": result.invalid_transitions,
        "error_counts": dict(result.errors.counts),
    }


def score_split(examples: list[Example], predictions: Predictions) -> tuple[dict[str, Any], EvaluationResult]:
    """Evaluate with the leaderboard's bootstrap settings and summarise."""
    result = evaluate(examples, predictions, bootstrap=BOOTSTRAP, seed=SEED)
    return summarise_result(result), result


def mean_std(values: Sequence[float]) -> dict[str, Any]:
    """Mean, sample std and the values, over seeds: the one way every figure over seeds is summarised."""
    return {
        "mean": round(statistics.fmean(values), 4),
        "std": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        "per_seed": [round(v, 4) for v in values],
    }


def cv_summary(heldout: Mapping[int, list[Example]], runs: Mapping[int, Mapping[int, Predictions]]) -> dict[str, Any]:
    """Cross-validation figures from ``runs`` = {seed: {fold: predictions of that fold's held-out report}}.

    Only folds present in every seed are scored, so a partial run is never pooled with a complete one.
    """
    seeds = sorted(runs)
    folds = sorted(set.intersection(*(set(runs[s]) for s in seeds))) if seeds else []
    gold = [ex for fold in folds for ex in heldout[fold]]
    pooled: list[float] = []
    per_label: dict[str, list[float]] = {name: [] for name in LABEL_NAMES}
    per_fold: dict[int, list[float]] = {fold: [] for fold in folds}
    for seed in seeds:
        merged: dict[str, Sequence[Span] | Sequence[str]] = {}
        for fold in folds:
            merged.update(runs[seed][fold])
            per_fold[fold].append(evaluate(heldout[fold], runs[seed][fold], bootstrap=0).micro_f1)
        result = evaluate(gold, merged, bootstrap=0)
        pooled.append(result.micro_f1)
        for name in LABEL_NAMES:
            per_label[name].append(result.strict.per_label[name].f1)
    return {
        "method": CV_METHOD,
        "seeds": seeds,
        "pooled_micro_f1": mean_std(pooled) if pooled else None,
        "pooled_per_label_f1": {name: mean_std(v) for name, v in per_label.items()} if pooled else None,
        "folds": [
            {"fold": fold, "heldout": FOLD_ORDER[fold], "micro_f1": mean_std(per_fold[fold])} for fold in folds
        ],
    }
