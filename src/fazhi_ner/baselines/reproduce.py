"""`fazhi baselines reproduce`: train every baseline, predict test, run CV, learning curve and cost benchmark,
then write eval/baselines.json, eval/BASELINES.md and the leaderboard submission folders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fazhi_ner.baselines import protocol
from fazhi_ner.baselines.cost import Bench, run_in_subprocess
from fazhi_ner.baselines.registry import BASELINE_NAMES, create
from fazhi_ner.baselines.report import write_reports
from fazhi_ner.baselines.results import (
    Ablation,
    AblationRow,
    BaselineRow,
    Baselines,
    CurvePoint,
    Gold,
    Protocol,
    SeedSpread,
    StudyRow,
    load_if_present,
)
from fazhi_ner.baselines.scoring import micro_f1
from fazhi_ner.baselines.submission import write_submission_folder
from fazhi_ner.corpus import fingerprint, load_examples
from fazhi_ner.errors import BaselineError, FaZhiError
from fazhi_ner.evaluation.summary import score_split
from fazhi_ner.paths import eval_dir
from fazhi_ner.scores import SplitSummary


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _warm_lac_cache(gold_directory: Path | None) -> None:
    """Tag every gold sentence with LAC once, so parallel training runs read the disk cache instead."""
    from fazhi_ner.baselines.lac_features import lac_char_tags

    lac_char_tags([ex.text for ex in load_examples(gold_directory=gold_directory)])


def reproduce(
    names: Sequence[str] | None = None,
    *,
    gold_directory: Path | None = None,
    eval_root: Path | None = None,
    models: Path | None = None,
    jobs: int = 2,
    console: Console | None = None,
) -> Baselines:
    console = console or Console(stderr=True)
    settings = protocol.load_settings()
    names = list(names or settings.baselines)
    for name in names:
        if name not in BASELINE_NAMES:
            raise BaselineError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINE_NAMES)}")
    eval_root = eval_root or eval_dir()
    submissions = eval_root / "submissions"
    test = protocol.require_examples(load_examples("test", gold_directory=gold_directory), "the test split")
    _warm_lac_cache(gold_directory)
    plans = {
        name: (
            *protocol.cv_tasks(name, settings, gold_directory),
            *protocol.curve_tasks(name, settings, gold_directory),
            *protocol.seed_tasks(name, settings, gold_directory),
        )
        for name in names
    }
    gold = Gold(fingerprint(test), len(test))
    train_split_size = len(protocol.main_sets(gold_directory)[0])
    bench_dir = (models or protocol.models_root()).parent / "bench"  # beside the models: build/bench by default
    benches = {
        name: _Bench(name, protocol.model_dir(name, root=models), bench_dir / f"{name}.json", gold_directory)
        for name in names
    }
    ablation_units, reuse = _ablation_units(settings, gold_directory, names)
    from fazhi_ner.baselines import variants  # issue 12 item 7: augmentation and ensembles

    plan = variants.load_plan()
    augment_units = variants.augmentation_tasks(plan, settings, gold_directory) if plan and plan.base in names else []
    units: list[Any] = [u for name in names for u in (benches[name], *plans[name])] + ablation_units + augment_units
    weights = _recorded_train_seconds(eval_root)
    order = sorted(range(len(units)), key=lambda i: (-_weight(units[i], weights), i))
    with _progress(console) as progress:
        bar = progress.add_task("baselines: train, benchmark, cross-validate", total=len(units))
        ran = protocol.run_tasks([units[i] for i in order], jobs, lambda _: progress.advance(bar), runner=_run_unit)
    by_unit = dict(zip(order, ran, strict=True))
    outputs = [by_unit[i] for i in range(len(units))]
    rows: dict[str, BaselineRow] = {}
    for name in names:
        config = create(name).config
        bench: Bench = next(out for unit, out in zip(units, outputs, strict=True) if unit is benches[name])
        mine = [
            out
            for out in outputs
            if isinstance(out, protocol.TaskResult) and out.task.name == name and out.task.kind in ("cv", "curve", "seed")
        ]
        model = protocol.load_or_create(name, root=models)
        predicted = protocol.predict_examples(model, test)
        test_report, test_result = score_split(test, predicted)
        cv_results = [r for r in mine if r.task.kind == "cv"]
        folds = {(int(r.task.key), r.task.seed): r.predictions for r in cv_results}
        write_submission_folder(config, predicted, folds, root=submissions)
        curve = _learning_curve(mine, test, train_split_size, test_report.micro.f1) if model.trainable else []
        seeds = [r for r in mine if r.task.kind == "seed"]
        rows[name] = BaselineRow(
            type=config.type,
            description=config.description,
            training_data=config.training_data,
            deterministic=config.deterministic or not model.trainable,
            uses_rule_tagger=config.uses_rule_tagger,
            training=model.info,
            test=test_report,
            cross_validation=protocol.summarise_cv(cv_results, gold_directory),
            learning_curve=curve,
            cost=bench.cost,
            errors=test_result.errors.summary(settings.error_examples),
            seed_spread=_seed_spread(settings.seeds[0], test_report, test, seeds) if seeds else None,
        )
    from fazhi_ner.baselines.weights import after_reproduce  # issue 23: committed spaCy and BiLSTM models

    after_reproduce(names, models or protocol.models_root(), eval_root)
    from fazhi_ner.baselines.form_robustness import block as form_block

    ablation = None
    if ablation_units or reuse:
        ablation_results = [out for out in outputs if isinstance(out, protocol.TaskResult) and out.task.kind == "ablation"]
        ablation = _ablation_summary(settings, gold_directory, ablation_results, reuse, rows)
    results = Baselines(
        command="fazhi baselines reproduce",
        gold=gold,
        protocol=_protocol(settings),
        baselines=rows,
        form_robustness=form_block({n: protocol.load_or_create(n, root=models) for n in names}),
        ablation=ablation,
    )
    if not set(names) >= set(settings.baselines):  # --only: keep the other baselines' rows of the earlier run
        results = results.keep_earlier(load_if_present(eval_root), settings.baselines)
    augmented = [out for out in outputs if isinstance(out, protocol.TaskResult) and out.task.kind == "augmentation"]
    results = variants.add_to_results(results, names, settings, submissions, gold_directory=gold_directory, jobs=jobs,
                                      console=console, eval_root=eval_root, ran=augmented if augment_units else None)  # fmt: skip
    results = replace(results, synthetic_study=study_rows(eval_root))
    write_reports(results, eval_root)
    return results


def _protocol(settings: protocol.Settings) -> Protocol:
    return Protocol(
        metric="seqeval strict (mode='strict', scheme=IOB2) micro F1 over entities",
        main="train split; the validation report only for model selection; scored on the test split",
        cross_validation="leave one report out (5 folds); fold k holds out FOLD_ORDER[k] and selects on FOLD_ORDER[k+1]; "
        "F1 pooled over all held-out sentences; mean and sample std over seeds",
        seeds=list(settings.seeds),
        learning_curve_fractions=list(settings.fractions),
        learning_curve_subset_seed=settings.subset_seed,
        tolerance=settings.tolerance,
        tolerance_note="floor of the change of a test or LODO F1 that `fazhi baselines check --against-committed` "
        "accepts against the committed results; a model that varies with its seed gets twice its test F1 std over "
        "seeds when that is larger (baselines.check.model_tolerance): trained models are reproducible for a seed "
        "on one CPU build, but floating-point kernels differ between CPUs (fazhi_ner.numeric pins what it can)",
    )


def study_rows(eval_root: Path) -> list[StudyRow]:
    """The committed synthetic-share study (its own, slower command), shown in BASELINES.md beside this run."""
    from fazhi_ner.baselines import synthetic_study

    if not (eval_root / synthetic_study.JSON_NAME).is_file():
        return []
    return synthetic_study.load_rows(eval_root)


def _same_run(name: str, params: dict[str, Any]) -> bool:
    """Would baseline ``name`` train exactly the model of an ablation variant with these params?"""
    config = create(name).config.params
    return all(config.get(k) == v for k, v in params.items())


def _ablation_units(
    settings: protocol.Settings, gold_directory: Path | None, names: Sequence[str]
) -> tuple[list[protocol.Task], dict[str, str]]:
    """The ablation's CV tasks, except variants identical to a baseline cross-validated in this run (reused)."""
    a = settings.ablation
    if a is None or a.base not in names:
        return [], {}
    reuse: dict[str, str] = {}
    for variant, families in a.variants:
        params = {**a.params, "features": list(families)}
        same = [n for n in names if create(n).config.type == "feature-based" and _same_run(n, params)]
        if same:
            reuse[variant] = same[0]
    tasks = [t for t in protocol.ablation_tasks(settings, gold_directory) if t.variant not in reuse]
    return tasks, reuse


def _ablation_summary(
    settings: protocol.Settings,
    gold_directory: Path | None,
    ran: Sequence[protocol.TaskResult],
    reuse: dict[str, str],
    done: dict[str, BaselineRow],
) -> Ablation:
    """LODO pooled F1 of each feature-family variant (eval/BASELINES.md's ablation table)."""
    a = settings.ablation
    assert a is not None
    rows = []
    for variant, families in a.variants:
        mine = [r for r in ran if r.task.variant == variant]
        cv = done[reuse[variant]].cross_validation if variant in reuse else protocol.summarise_cv(mine, gold_directory)
        rows.append(AblationRow(variant, list(families), "rules" in families, reuse.get(variant), cv))
    return Ablation(a.base, a.params, rows)


@dataclass(frozen=True)
class _Bench:
    """Train the main model and measure its cost, in a fresh interpreter (fazhi_ner.baselines.cost)."""

    name: str
    directory: Path
    out: Path
    gold_directory: Path | None


def _run_unit(unit: Any) -> Any:
    """Worker entry point for every unit of work in a reproduce run: a benchmark or a training task."""
    if isinstance(unit, _Bench):
        return run_in_subprocess(unit.name, unit.directory, unit.out, gold_directory=unit.gold_directory)
    return protocol.run_task(unit)


def _recorded_train_seconds(eval_root: Path) -> dict[str, float]:
    """Training seconds per baseline from the previous run's results: only used to start the longest jobs first."""
    try:
        earlier = load_if_present(eval_root)
    except FaZhiError:
        return {}
    return {n: float(r.cost.train_seconds) for n, r in earlier.baselines.items()} if earlier else {}


def _weight(unit: Any, seconds: dict[str, float]) -> float:
    """Expected run time of a unit (relative): longest first keeps both cores busy to the end."""
    name = unit.name
    base = seconds.get(name, 10.0)
    if isinstance(unit, _Bench):
        return base * 1.2  # training plus the prediction benchmark
    if unit.kind == "curve":
        return base * float(unit.key)
    return base


def _learning_curve(
    results: Sequence[protocol.TaskResult], test: Sequence[Any], train_split_size: int, main_test_f1: float
) -> list[CurvePoint]:
    """The curve's points by fraction, the main model as 100%; every count is of the train split's sentences.

    A model's synthetic share (and, with train_on_dev, the development report) is added at every point, so
    counting it at 100% only would make the last step look like a jump in real data that did not happen.
    """
    curve = [
        CurvePoint(float(r.task.key), len(r.task.train), round(micro_f1(test, r.predictions), 4))
        for r in results
        if r.task.kind == "curve"
    ]
    curve.append(CurvePoint(1.0, train_split_size, round(main_test_f1, 4)))
    return sorted(curve, key=lambda p: p.fraction)


def _seed_spread(first_seed: int, main_report: SplitSummary, test: Sequence[Any], seeds: Sequence[protocol.TaskResult]) -> SeedSpread:
    """Test-split F1 of the main model (first seed) and of the same training with the other seeds."""
    from fazhi_ner.evaluation.summary import mean_std

    per_seed = {first_seed: round(main_report.micro.f1, 4)}
    for r in seeds:
        per_seed[r.task.seed] = round(micro_f1(test, r.predictions), 4)
    values = [per_seed[k] for k in sorted(per_seed)]
    summary = mean_std(values)
    return SeedSpread("test", sorted(per_seed), values, summary.mean, summary.std)
