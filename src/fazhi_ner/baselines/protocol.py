"""The evaluation protocol: main train/predict, leave-one-document-out CV with seeds, learning curve.

Every trained model sees training documents plus ONE disjoint development document used only for model
selection (CRF c1/c2, spaCy best checkpoint): the validation report for the main model and the learning
curve; for CV fold k (report FOLD_ORDER[k] held out) the next report in FOLD_ORDER, cyclically. A model
with nothing to select (one grid point, ``train_on_dev``) may train on that document instead.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fazhi_ner.baselines.base import Baseline, Log, _quiet
from fazhi_ner.baselines.registry import baseline_class, create
from fazhi_ner.corpus import Example, load_examples
from fazhi_ner.errors import BaselineError
from fazhi_ner.paths import baselines_dir, models_cache_dir
from fazhi_ner.spans import Span
from fazhi_ner.splits import FOLD_ORDER

if TYPE_CHECKING:
    from fazhi_ner.scores import CvSummary

Predictions = dict[str, list[Span]]


@dataclass(frozen=True)
class Ablation:
    """Feature-family variants of one feature-based baseline, each run through leave-one-report-out CV."""

    base: str
    params: dict[str, Any]
    variants: tuple[tuple[str, tuple[str, ...]], ...]  # (variant name, feature families)


@dataclass(frozen=True)
class Settings:
    """baselines/reproduce.yaml."""

    baselines: tuple[str, ...]
    seeds: tuple[int, ...]
    fractions: tuple[float, ...]
    subset_seed: int
    error_examples: int
    ablation: Ablation | None = None
    tolerance: float = 0.0


def _ablation(raw: Any) -> Ablation | None:
    if raw is None:
        return None
    variants = tuple((str(v["name"]), tuple(str(f) for f in v["features"])) for v in raw["variants"])
    return Ablation(base=str(raw["base"]), params=dict(raw.get("params") or {}), variants=variants)


def ablation_tasks(settings: Settings, gold_directory: Path | None) -> list[Task]:
    """One CV task per (variant, fold); the first seed only (the CRF is deterministic)."""
    if settings.ablation is None:
        return []
    a = settings.ablation
    tasks = []
    for variant, families in a.variants:
        params = tuple(sorted({**a.params, "features": list(families)}.items()))
        for fold in range(len(FOLD_ORDER)):
            train_set, dev, heldout = fold_sets(fold, gold_directory)
            tasks.append(
                Task(a.base, "ablation", settings.seeds[0], fold, tuple(train_set), tuple(dev), tuple(heldout),
                     params=params, variant=variant)  # fmt: skip
            )
    return tasks


def load_settings(path: Path | None = None) -> Settings:
    path = path or baselines_dir() / "reproduce.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        curve = data["learning_curve"]
        settings = Settings(
            baselines=tuple(str(n) for n in data["baselines"]),
            seeds=tuple(int(s) for s in data["seeds"]),
            fractions=tuple(float(f) for f in curve["fractions"]),
            subset_seed=int(curve["subset_seed"]),
            error_examples=int(data.get("error_examples", 4)),
            ablation=_ablation(data.get("ablation")),
            tolerance=float(data.get("tolerance", 0.0)),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise BaselineError(
            f"{path}: expected baselines, seeds, learning_curve.fractions/subset_seed ({exc})"
        ) from None
    if not settings.seeds or any(not 0 < f <= 1 for f in settings.fractions):
        raise BaselineError(f"{path}: seeds must be non-empty and fractions in (0, 1]")
    return settings


def models_root() -> Path:
    """The model cache (``fazhi_ner.paths.models_cache_dir``: $FAZHI_MODELS_DIR, the checkout's build/models, or
    the per-user cache): ``baselines train`` writes where ``fazhi tag`` looks."""
    return models_cache_dir()


def model_dir(name: str, *, fold: int | None = None, root: Path | None = None) -> Path:
    root = root or models_root()
    return root / (name if fold is None else f"{name}-fold{fold}")


def require_examples(examples: Sequence[Example], what: str) -> list[Example]:
    if not examples:
        raise BaselineError(f"no gold sentences for {what}; run `fazhi annotate convert` first (or pass --gold)")
    return list(examples)


def main_sets(gold_directory: Path | None = None) -> tuple[list[Example], list[Example]]:
    train = require_examples(load_examples("train", gold_directory=gold_directory), "the train split")
    dev = require_examples(load_examples("validation", gold_directory=gold_directory), "the validation split")
    return train, dev


def dev_doc_for_fold(fold: int) -> str:
    return FOLD_ORDER[(fold + 1) % len(FOLD_ORDER)]


def fold_sets(fold: int, gold_directory: Path | None = None) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, dev, held-out) for leave-one-document-out fold ``fold``."""
    if not 0 <= fold < len(FOLD_ORDER):
        raise BaselineError(f"fold expected 0..{len(FOLD_ORDER) - 1}, found {fold}")
    heldout = require_examples(
        load_examples(fold=fold, gold_directory=gold_directory), f"fold {fold} ({FOLD_ORDER[fold]})"
    )
    rest = load_examples(fold=fold, heldout=False, gold_directory=gold_directory)
    dev_doc = dev_doc_for_fold(fold)
    train = require_examples([e for e in rest if e.sentence.doc_id != dev_doc], f"fold {fold} training")
    dev = require_examples([e for e in rest if e.sentence.doc_id == dev_doc], f"fold {fold} development ({dev_doc})")
    return train, dev, heldout


def subset(examples: Sequence[Example], fraction: float, seed: int) -> list[Example]:
    """A deterministic, nested subset: the first ceil(fraction * n) sentences of one fixed shuffle."""
    order = sorted(examples, key=lambda e: e.id)
    random.Random(seed).shuffle(order)
    n = max(1, math.ceil(fraction * len(order) - 1e-9))
    return sorted(order[:n], key=lambda e: e.id)


def with_synthetic(train: Sequence[Example], params: dict[str, Any]) -> list[Example]:
    """The real training sentences plus ``params.synthetic`` (a share, 0-1) of the synthetic corpus.

    The synthetic documents are training data only: they are added here, to the training side, and never to a
    development or held-out set. ``params.real_repeat`` (an integer, default 1) lists the real sentences that
    many times beside a synthetic share, so that text we wrote ourselves does not outweigh the published reports the model is for.
    """
    share = float(params.get("synthetic", 0) or 0)
    repeat = params.get("real_repeat", 1)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise BaselineError(f"params.real_repeat: expected an integer >= 1, found {repeat!r}")
    if not share:
        return list(train)
    from fazhi_ner.synthetic import synthetic_examples

    return [*(list(train) * repeat), *synthetic_examples(share)]


def predict_examples(model: Baseline, examples: Sequence[Example]) -> Predictions:
    """The model's spans per example, after the decoding step every model shares (an agency at the start of a
    predicted INDICATOR gets its own AGENCY span: ``fazhi_ner.rules.agency_prefix``, issue 19)."""
    from fazhi_ner.rules.agency_prefix import split_agency_prefix

    predicted = model.predict([ex.text for ex in examples])
    return {ex.id: split_agency_prefix(spans, ex.text) for ex, spans in zip(examples, predicted, strict=True)}


def train(name: str, *, seed: int = 0, fold: int | None = None, gold_directory: Path | None = None,
          root: Path | None = None, log: Log = _quiet) -> Path:  # fmt: skip
    """Train one baseline (main split, or a CV fold) and save it in the model cache."""
    from fazhi_ner.baselines.resolve import resolve

    handle = resolve(name, fold=fold, models_dir=root)
    return fit_and_save(handle.create(seed), handle.directory, fold=fold, gold_directory=gold_directory, log=log)


def fit_and_save(model: Baseline, directory: Path, *, fold: int | None = None, gold_directory: Path | None = None,
                 log: Log = _quiet) -> Path:  # fmt: skip
    """Fit ``model`` on the main split (or CV fold ``fold``), selecting on its development report; save it."""
    if fold is None:
        train_set, dev = main_sets(gold_directory)
    else:
        train_set, dev, _ = fold_sets(fold, gold_directory)
    model.fit(with_synthetic(train_set, model.config.params), dev, log=log)
    return model.save(directory)


def load_or_create(name: str, *, fold: int | None = None, root: Path | None = None) -> Baseline:
    """The trained model; an untrainable baseline (rules) needs no training run."""
    from fazhi_ner.baselines.resolve import resolve

    return resolve(name, fold=fold, models_dir=root).load()


# ----------------------------------------------------------------------------- parallel runs


@dataclass(frozen=True)
class Task:
    """One training run: fit on ``train`` (select on ``dev``), predict ``evaluate``."""

    name: str
    kind: str  # "cv", "curve", "seed" (main split, another seed) or "ablation"
    seed: int
    key: float | int  # fold or fraction
    train: tuple[Example, ...]
    dev: tuple[Example, ...]
    evaluate: tuple[Example, ...]
    params: tuple[tuple[str, Any], ...] = ()  # overrides of the config's params (the ablation variants)
    variant: str = ""


@dataclass(frozen=True)
class TaskResult:
    task: Task
    predictions: Predictions
    seconds: float
    info: dict[str, Any] = field(default_factory=dict)


def run_task(task: Task) -> TaskResult:
    started = time.perf_counter()
    model = create(task.name, task.seed)
    if task.params:
        import dataclasses

        params = {**model.config.params, **dict(task.params)}
        stacked = "rules" in params.get("features", ()) or model.config.uses_rule_tagger
        model.config = dataclasses.replace(model.config, params=params, uses_rule_tagger=stacked)
    model.fit(with_synthetic(task.train, model.config.params), list(task.dev))
    predictions = predict_examples(model, task.evaluate)
    return TaskResult(task, predictions, time.perf_counter() - started, dict(model.info))


def run_tasks(
    tasks: Sequence[Any], jobs: int, on_done: Callable[[Any], None], runner: Callable[[Any], Any] = run_task
) -> list[Any]:
    """Run ``runner`` on each task (in ``jobs`` worker processes when > 1); results come back in task order.

    ``runner`` must be a module-level function (it is pickled to the workers). Workers take tasks in the
    given order, so callers put the longest first: both cores stay busy until the end.
    """
    results: dict[int, Any] = {}
    if jobs <= 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            results[i] = runner(task)
            on_done(results[i])
    else:
        import multiprocessing
        from concurrent.futures import as_completed

        # spawn, not fork: the parent may already hold torch's thread pools, which do not survive a fork
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(runner, task): i for i, task in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                on_done(results[futures[future]])
    return [results[i] for i in range(len(tasks))]


def varies_with_seed(name: str) -> bool:
    """Untrainable or deterministic baselines give the same model for every seed."""
    return baseline_class(name).trainable and not create(name).config.deterministic


def seeds_for(name: str, settings: Settings) -> tuple[int, ...]:
    """Untrainable or deterministic baselines run once: other seeds would give the same model."""
    if not varies_with_seed(name):
        return settings.seeds[:1]
    config = create(name).config
    # params.cv_seeds: a slow model may run fewer seeds to keep `make reproduce` within its time budget
    return settings.seeds[: max(1, int(config.params.get("cv_seeds", len(settings.seeds))))]


def cv_tasks(name: str, settings: Settings, gold_directory: Path | None) -> list[Task]:
    tasks = []
    for fold in range(len(FOLD_ORDER)):
        train_set, dev, heldout = fold_sets(fold, gold_directory)
        for seed in seeds_for(name, settings):
            tasks.append(Task(name, "cv", seed, fold, tuple(train_set), tuple(dev), tuple(heldout)))
    return tasks


def curve_tasks(name: str, settings: Settings, gold_directory: Path | None) -> list[Task]:
    """Learning-curve points below 100% (the 100% point is the main model)."""
    if not baseline_class(name).trainable:
        return []
    train_set, dev = main_sets(gold_directory)
    test = load_examples("test", gold_directory=gold_directory)
    seed = settings.seeds[0]
    return [
        Task(
            name,
            "curve",
            seed,
            fraction,
            tuple(subset(train_set, fraction, settings.subset_seed)),
            tuple(dev),
            tuple(test),
        )
        for fraction in settings.fractions
        if fraction < 1.0
    ]


def seed_tasks(name: str, settings: Settings, gold_directory: Path | None) -> list[Task]:
    """The main split again with the other seeds (the first seed is the main model): the spread over seeds."""
    if not varies_with_seed(name) or len(settings.seeds) < 2:
        return []
    train_set, dev = main_sets(gold_directory)
    test = tuple(load_examples("test", gold_directory=gold_directory))
    return [Task(name, "seed", seed, seed, tuple(train_set), tuple(dev), test) for seed in settings.seeds[1:]]


def summarise_cv(results: Sequence[TaskResult], gold_directory: Path | None) -> CvSummary:
    """The shared CV summary (fazhi_ner.evaluation.summary.cv_summary) plus the development report of each fold."""
    from dataclasses import replace

    from fazhi_ner.evaluation.summary import cv_summary

    runs: dict[int, dict[int, Predictions]] = {}
    for r in results:
        runs.setdefault(r.task.seed, {})[int(r.task.key)] = r.predictions
    folds = sorted({int(r.task.key) for r in results})
    heldout = {fold: load_examples(fold=fold, gold_directory=gold_directory) for fold in folds}
    summary = cv_summary(heldout, runs)
    from fazhi_ner.evaluation.error_analysis import absorbed_count

    per_seed = [sum(absorbed_count(heldout[f], preds) for f, preds in folds_run.items()) for folds_run in runs.values()]
    return replace(
        summary,
        agency_absorbed=round(sum(per_seed) / len(per_seed), 1) if per_seed else 0,
        folds=[replace(row, dev=dev_doc_for_fold(row.fold)) for row in summary.folds],
        train_seconds_total=round(sum(r.seconds for r in results), 1),
    )


def fold_filename(fold: int, seed: int, seeds: Sequence[int]) -> str:
    """predictions.fold<k>.jsonl for a single-seed run, predictions.fold<k>.seed<s>.jsonl for each of several."""
    from fazhi_ner.evaluation.submission import prediction_file_name

    return prediction_file_name(fold=fold, seed=None if len(seeds) == 1 and seed == 0 else seed)
