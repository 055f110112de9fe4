"""The one test summary and the one cross-validation summary, used by the baselines, the leaderboard and the card.

Before this module the baselines scored with their own helper and error classifier and the leaderboard
averaged folds, so the same predictions gave different numbers in different files. Everything now goes
through :func:`fazhi_ner.evaluation.harness.evaluate`:

- :func:`summarise_result` turns one evaluation into the row every report shows (micro and per-label
  P/R/F1 with bootstrap CIs, macro F1, partial F1, error counts);
- :func:`cv_summary` scores leave-one-report-out predictions POOLED over every held-out sentence (one
  F1 per seed), with the per-fold F1 beside it; several seeds give mean and sample std.

Both return typed records (:mod:`fazhi_ner.scores`), the same ones eval/baselines.json and
eval/leaderboard.json are read back into.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from fazhi_ner.corpus import Example
from fazhi_ner.evaluation.harness import EvaluationResult, evaluate
from fazhi_ner.evaluation.partial import SCHEMAS as PARTIAL_SCHEMAS
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.scores import CvSummary, FoldScore, LabelScore, MeanStd, Score, SplitSummary
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


def summarise_result(result: EvaluationResult) -> SplitSummary:
    """The scoring row of one evaluation (rounded; CIs present when the evaluation bootstrapped)."""
    s = result.strict
    return SplitSummary(
        micro=Score(_r(s.micro_precision), _r(s.micro_recall), _r(s.micro_f1), _ci(result, "micro_f1")),
        macro_f1=_r(s.macro_f1),
        per_label={
            name: LabelScore(
                _r(s.per_label[name].precision),
                _r(s.per_label[name].recall),
                _r(s.per_label[name].f1),
                _ci(result, f"f1_{name}"),
                s.per_label[name].support,
            )
            for name in LABEL_NAMES
        },
        partial_f1={schema: _r(result.partial.f1(schema)) for schema in PARTIAL_SCHEMAS},
        invalid_iob2_transitions=result.invalid_transitions,
        error_counts=dict(result.errors.counts),
    )


def score_split(examples: list[Example], predictions: Predictions) -> tuple[SplitSummary, EvaluationResult]:
    """Evaluate with the leaderboard's bootstrap settings and summarise."""
    result = evaluate(examples, predictions, bootstrap=BOOTSTRAP, seed=SEED)
    return summarise_result(result), result


def mean_std(values: Sequence[float]) -> MeanStd:
    """Mean, sample std and the values, over seeds: the one way every figure over seeds is summarised."""
    return MeanStd(
        round(statistics.fmean(values), 4),
        round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        [round(v, 4) for v in values],
    )


def cv_summary(heldout: Mapping[int, list[Example]], runs: Mapping[int, Mapping[int, Predictions]]) -> CvSummary:
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
    return CvSummary(
        seeds=seeds,
        pooled=mean_std(pooled) if pooled else None,
        per_label={name: mean_std(v) for name, v in per_label.items()} if pooled else None,
        method=CV_METHOD,
        folds=[FoldScore(fold, FOLD_ORDER[fold], mean_std(per_fold[fold])) for fold in folds],
    )
