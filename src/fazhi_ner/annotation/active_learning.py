"""Does uncertainty ordering pay? A simulation of annotating the LODO folds in two orders.

For each leave-one-document-out fold, the training documents are the unannotated pool and the held-out
report is scored. Starting from the same random seed set, sentences are "annotated" (their gold is revealed)
in batches either in **random** order (several fixed seeds) or in **uncertainty** order (the model trained on
what is annotated so far scores every pool sentence, and the least confident sentences, lowest smallest
tag marginal, come next). At each budget the model is retrained and the held-out reports are tagged; the
curve is the pooled strict micro F1 over all five held-out reports. Characters annotated are reported too,
because uncertain sentences tend to be longer, so a sentence budget alone would flatter uncertainty.

Everything is deterministic (fixed seeds, a CRF with its c1/c2 pinned to the first grid point, so every
point costs one fit); `fazhi annotate active-learning` writes eval/ACTIVE_LEARNING.md and eval/active_learning.json.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_ner.corpus import Example
from fazhi_ner.results import Record

BUDGETS: tuple[int, ...] = (25, 50, 100, 150, 200)  # annotated sentences; the full pool is the last point
SEED_SIZE = 25  # the first batch is random for both strategies (same sentences)
RANDOM_SEEDS: tuple[int, ...] = (0, 1)
SEED_SET_SEED = 13
UNCERTAINTY = "uncertainty"  # the run in uncertainty order; the random runs are "random-<seed>"
REPORT = "ACTIVE_LEARNING.md"
DATA = "active_learning.json"
COMMAND = "fazhi annotate active-learning"
TARGET_SHARE = 0.9


@dataclass(frozen=True)
class Point:
    """One budget of one run in one fold: what was annotated and the held-out predictions of the model."""

    budget: int
    chars: int
    predictions: dict[str, list[list[Any]]]  # sentence id -> [start, end, label]


@dataclass(frozen=True)
class FoldRun:
    """One LODO fold simulated: the pool size, the budgets and each run's points (``random-<seed>``, ``uncertainty``)."""

    fold: int
    pool: int
    budgets: list[int]
    runs: dict[str, list[Point]]


# The committed result (eval/active_learning.json): each key spelled once, as a field.


@dataclass(frozen=True)
class StrategyPoint(Record):
    f1: float
    sentences: int  # summed over the five folds
    chars: int


@dataclass(frozen=True)
class RandomPoint(Record):
    f1: float  # mean over the random seeds
    f1_per_seed: list[float]
    sentences: int
    chars: int  # mean over the random seeds, rounded


@dataclass(frozen=True)
class CurveRow(Record):
    step: int
    budget_per_fold: list[int]
    uncertainty: StrategyPoint
    random: RandomPoint


@dataclass(frozen=True)
class Reached(Record):
    sentences: int
    chars: int


@dataclass(frozen=True)
class FirstReaching(Record):
    uncertainty: Reached | None
    random: Reached | None


@dataclass(frozen=True)
class ActiveLearning(Record):
    """The simulated learning curves of both orders and where each first reaches the target F1."""

    model: str
    budgets: list[int]
    seed_size: int
    random_seeds: list[int]
    curve: list[CurveRow]
    target_f1: float
    target_rule: str
    first_reaching_target: FirstReaching


def read_active_learning(path: Path) -> ActiveLearning:
    return ActiveLearning.from_file(path)


def _model(name: str):  # noqa: ANN202
    from fazhi_ner.baselines.registry import create

    model = create(name)
    grid = model.config.params.get("grid")
    if isinstance(grid, dict):  # one fit per point: pin the grid to its first values
        params = {**model.config.params, "grid": {k: list(v)[:1] for k, v in grid.items()}}
        model.config = dataclasses.replace(model.config, params=params)
    return model


def _fit_predict(name: str, labelled: Sequence[Example], dev: Sequence[Example], heldout: Sequence[Example]):  # noqa: ANN202
    from fazhi_ner.baselines.protocol import predict_examples

    model = _model(name)
    model.fit(list(labelled), list(dev))
    return model, predict_examples(model, heldout)


def _ordered_pool(pool: Sequence[Example], seed: int) -> list[Example]:
    order = sorted(pool, key=lambda e: e.id)
    random.Random(seed).shuffle(order)
    return order


def simulate_fold(name: str, fold: int) -> FoldRun:
    """Predictions on the held-out report at every budget, per strategy, plus characters annotated."""
    from fazhi_ner.baselines.protocol import fold_sets

    train, dev, heldout = fold_sets(fold)
    budgets = [b for b in BUDGETS if b < len(train)] + [len(train)]
    runs: dict[str, list[Point]] = {}
    seed_set = _ordered_pool(train, SEED_SET_SEED)[:SEED_SIZE]
    # random order: the seed set, then a fixed shuffle of the rest, per random seed
    for seed in RANDOM_SEEDS:
        rest = _ordered_pool([e for e in train if e not in seed_set], seed)
        order = seed_set + rest
        points = []
        for budget in budgets:
            labelled = order[:budget]
            _, predictions = _fit_predict(name, labelled, dev, heldout)
            points.append(Point(budget, sum(len(e.text) for e in labelled), _plain(predictions)))
        runs[f"random-{seed}"] = points
    # uncertainty order: retrain at each budget, then take the least confident pool sentences next
    labelled = list(seed_set)
    points = []
    for i, budget in enumerate(budgets):
        model, predictions = _fit_predict(name, labelled, dev, heldout)
        points.append(Point(budget, sum(len(e.text) for e in labelled), _plain(predictions)))
        if i + 1 == len(budgets):
            break
        chosen = {e.id for e in labelled}
        pool = [e for e in train if e.id not in chosen]
        scores = model.predict_scored([e.text for e in pool])
        ranked = sorted(
            zip(pool, scores, strict=True), key=lambda p: (p[1].score if p[1].score is not None else 1.0, p[0].id)
        )
        labelled += [e for e, _ in ranked[: budgets[i + 1] - len(labelled)]]
    runs[UNCERTAINTY] = points
    return FoldRun(fold, len(train), budgets, runs)


def _plain(predictions: dict[str, list]) -> dict[str, list[list[Any]]]:
    return {k: [[s.start, s.end, s.label] for s in v] for k, v in sorted(predictions.items())}


def _score(folds: Sequence[FoldRun], run: str, step: int) -> tuple[float, int, int]:
    """Pooled micro F1 over all held-out reports at the ``step``-th budget of ``run``; sentences and chars summed."""
    from fazhi_ner.baselines.scoring import score
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.spans import Span

    gold, merged, sentences, chars = [], {}, 0, 0
    for fold in folds:
        gold += load_examples(fold=fold.fold)
        point = fold.runs[run][min(step, len(fold.runs[run]) - 1)]
        merged.update({k: [Span(a, b, label) for a, b, label in v] for k, v in point.predictions.items()})
        sentences += point.budget
        chars += point.chars
    return score(gold, merged)["micro"]["f1"], sentences, chars


def summarise(name: str, folds: Sequence[FoldRun]) -> ActiveLearning:
    steps = max(len(f.budgets) for f in folds)
    rows = []
    for step in range(steps):
        f1, n, chars = _score(folds, UNCERTAINTY, step)
        randoms = [_score(folds, f"random-{seed}", step) for seed in RANDOM_SEEDS]
        rows.append(
            CurveRow(
                step=step,
                budget_per_fold=[f.budgets[min(step, len(f.budgets) - 1)] for f in folds],
                uncertainty=StrategyPoint(round(f1, 4), n, chars),
                random=RandomPoint(
                    f1=round(sum(r[0] for r in randoms) / len(randoms), 4),
                    f1_per_seed=[round(r[0], 4) for r in randoms],
                    sentences=randoms[0][1],
                    chars=round(sum(r[2] for r in randoms) / len(randoms)),
                ),
            )
        )
    full = rows[-1].uncertainty.f1
    target = round(TARGET_SHARE * full, 4)

    def first(points: Sequence[StrategyPoint | RandomPoint]) -> Reached | None:
        hit = next((p for p in points if p.f1 >= target), None)
        return None if hit is None else Reached(hit.sentences, hit.chars)

    return ActiveLearning(
        model=name,
        budgets=list(BUDGETS),
        seed_size=SEED_SIZE,
        random_seeds=list(RANDOM_SEEDS),
        curve=rows,
        target_f1=target,
        target_rule="90% of the pooled F1 with the whole pool annotated",
        first_reaching_target=FirstReaching(
            uncertainty=first([r.uncertainty for r in rows]), random=first([r.random for r in rows])
        ),
    )


def render(summary: ActiveLearning) -> str:
    lines = [
        "# Active learning: uncertainty order vs random order (simulation)",
        "",
        "<!-- generated by `fazhi annotate active-learning`; do not edit by hand -->",
        "",
        f"Model: `{summary.model}` (c1/c2 pinned to the first grid point, one fit per point). Leave-one-document-out:",
        "in each of the five folds the training reports are the pool of unannotated sentences and the held-out report is",
        "tagged. Annotation is simulated by revealing the gold of the chosen sentences (no human or agent annotated",
        f"anything for this). Both strategies start from the same {summary.seed_size} random sentences; random order",
        f"is averaged over seeds {summary.random_seeds}. F1 is strict micro F1 pooled over the five held-out reports;",
        "sentences and characters are summed over the five folds.",
        "",
        "| budget per fold | uncertainty F1 | random F1 (per seed) | uncertainty sentences / chars | random sentences / chars |",
        "|---|---|---|---|---|",
    ]
    for row in summary.curve:
        u, r = row.uncertainty, row.random
        per_seed = ", ".join(f"{v:.4f}" for v in r.f1_per_seed)
        budget = "all" if row is summary.curve[-1] else str(max(row.budget_per_fold))
        lines.append(
            f"| {budget} | {u.f1:.4f} | {r.f1:.4f} ({per_seed}) | {u.sentences} / {u.chars} | {r.sentences} / {r.chars} |"
        )
    hit = summary.first_reaching_target

    def say(h: Reached | None) -> str:
        return "not reached" if h is None else f"{h.sentences} sentences ({h.chars} characters)"

    spread = max(max(r.random.f1_per_seed) - min(r.random.f1_per_seed) for r in summary.curve)
    lines += [
        "",
        f"Target: F1 ≥ {summary.target_f1:.4f} ({summary.target_rule}).",
        f"- uncertainty order reaches it after {say(hit.uncertainty)};",
        f"- random order reaches it after {say(hit.random)}.",
        "",
        "Reading: uncertain sentences are longer, so compare the character counts as well as the sentence counts.",
        f"The random seeds alone differ by up to {spread:.4f} F1 at one budget; this is one simulation on five reports",
        "with one model, not a guarantee for other reports or annotators.",
        "",
    ]
    return "\n".join(lines)


def run(name: str, jobs: int = 2, log: Callable[[str], None] = print) -> ActiveLearning:
    from fazhi_ner.splits import FOLD_ORDER

    folds: list[FoldRun] = []
    if jobs <= 1:
        for fold in range(len(FOLD_ORDER)):
            folds.append(simulate_fold(name, fold))
            log(f"fold {fold} done")
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for fold, result in enumerate(pool.map(simulate_fold, [name] * len(FOLD_ORDER), range(len(FOLD_ORDER)))):
                folds.append(result)
                log(f"fold {fold} done")
    return summarise(name, folds)


def table(report: str) -> str:
    """The lines of the report the command prints: the curve, the target and where each order reaches it."""
    return "\n".join(line for line in report.splitlines() if line.startswith(("|", "- ", "Target"))) + "\n"


def write(summary: ActiveLearning, report: Path, *, check: bool = False) -> str:
    """Write (or check) the report and its JSON (``active_learning.json`` beside it); returns the report's text."""
    from fazhi_ner.atomic import write_or_check_result

    text = render(summary)
    write_or_check_result(summary, report.with_name(DATA), report, text, check=check, command=COMMAND)
    return text


def run_and_write(name: str, *, out: Path | None = None, check: bool = False, jobs: int = 2,
                  log: Callable[[str], None] = print) -> tuple[Path, str]:  # fmt: skip
    """Simulate, then write (or, with ``check``, verify against) the report and its JSON."""
    from fazhi_ner.paths import eval_dir

    report = out or eval_dir() / REPORT
    return report, table(write(run(name, jobs, log), report, check=check))


def check_committed(report: Path | None = None) -> tuple[Path, str]:
    """Without re-running the simulation: the JSON reads as an :class:`ActiveLearning` and the report is its
    rendering. A hand-edited or half-regenerated pair fails (:class:`~fazhi_ner.errors.StaleError`); whether the
    simulation still gives these numbers is what ``--check --simulate`` answers (minutes)."""
    from fazhi_ner.paths import eval_dir

    report = report or eval_dir() / REPORT
    summary = read_active_learning(report.with_name(DATA))
    return report, table(write(summary, report, check=True))
