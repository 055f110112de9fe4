"""`fazhi baselines reproduce`: train every baseline, predict test, run CV, learning curve and cost benchmark,
then write eval/baselines.json, eval/BASELINES.md and the leaderboard submission folders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fazhi_ner.baselines import protocol
from fazhi_ner.baselines.cost import run_in_subprocess
from fazhi_ner.baselines.errors_analysis import analyse
from fazhi_ner.baselines.registry import BASELINE_NAMES, create
from fazhi_ner.baselines.report import write_reports
from fazhi_ner.baselines.scoring import score
from fazhi_ner.baselines.submission import write_predictions
from fazhi_ner.corpus import fingerprint, load_examples
from fazhi_ner.errors import BaselineError
from fazhi_ner.evaluation.submission import prediction_file_name
from fazhi_ner.paths import build_dir, eval_dir


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def reproduce(
    names: Sequence[str] | None = None,
    *,
    gold_directory: Path | None = None,
    eval_root: Path | None = None,
    models: Path | None = None,
    jobs: int = 2,
    console: Console | None = None,
) -> dict[str, Any]:
    console = console or Console(stderr=True)
    settings = protocol.load_settings()
    names = list(names or settings.baselines)
    for name in names:
        if name not in BASELINE_NAMES:
            raise BaselineError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINE_NAMES)}")
    eval_root = eval_root or eval_dir()
    submissions = eval_root / "submissions"
    test = protocol.require_examples(load_examples("test", gold_directory=gold_directory), "the test split")
    plans = {
        name: (protocol.cv_tasks(name, settings, gold_directory), protocol.curve_tasks(name, settings, gold_directory))
        for name in names
    }
    results: dict[str, Any] = {
        "command": "fazhi baselines reproduce",
        "gold": {"test_fingerprint": fingerprint(test), "test_sentences": len(test)},
        "protocol": {
            "metric": "seqeval strict (mode='strict', scheme=IOB2) micro F1 over entities",
            "main": "train split; the validation report only for model selection; scored on the test split",
            "cross_validation": "leave one report out (5 folds); fold k holds out FOLD_ORDER[k] and selects on FOLD_ORDER[k+1]; "
            "F1 pooled over all held-out sentences; mean and sample std over seeds",
            "seeds": list(settings.seeds),
            "learning_curve_fractions": list(settings.fractions),
            "learning_curve_subset_seed": settings.subset_seed,
        },
        "baselines": {},
    }
    total = sum(1 + len(cv) + len(curve) for cv, curve in plans.values())
    with _progress(console) as progress:
        overall = progress.add_task("baselines", total=total)
        for name in names:
            cv, curve = plans[name]
            config = create(name).config
            progress.update(overall, description=f"{name}: train + benchmark")
            directory = protocol.model_dir(name, root=models)
            cost = run_in_subprocess(
                name, directory, build_dir() / "bench" / f"{name}.json", gold_directory=gold_directory
            )
            progress.advance(overall)
            model = protocol.load_or_create(name, root=models)
            predicted = protocol.predict_examples(model, test)
            write_predictions(config, predicted, root=submissions)
            test_report = score(test, predicted)
            progress.update(overall, description=f"{name}: cross-validation and learning curve")
            done = progress.add_task(f"  {name}: {len(cv)} CV + {len(curve)} curve runs", total=len(cv) + len(curve))

            def _advance(_: protocol.TaskResult, done=done) -> None:
                progress.advance(done)
                progress.advance(overall)

            ran = protocol.run_tasks([*cv, *curve], jobs, _advance)
            cv_results = [r for r in ran if r.task.kind == "cv"]
            first_seed = min(r.task.seed for r in cv_results)
            for r in cv_results:
                if r.task.seed == first_seed:
                    write_predictions(
                        config, r.predictions, filename=prediction_file_name(fold=int(r.task.key)), root=submissions
                    )
            curve_rows = [
                {
                    "fraction": float(r.task.key),
                    "train_sentences": len(r.task.train),
                    "test_micro_f1": round(score(test, r.predictions)["micro"]["f1"], 4),
                }
                for r in ran
                if r.task.kind == "curve"
            ]
            if curve_rows or model.trainable:
                curve_rows.append(
                    {
                        "fraction": 1.0,
                        "train_sentences": cost["train_sentences"],
                        "test_micro_f1": round(test_report["micro"]["f1"], 4),
                    }
                )
            results["baselines"][name] = {
                "type": config.type,
                "description": config.description,
                "training_data": config.training_data,
                "deterministic": config.deterministic or not model.trainable,
                "training": model.info,
                "test": test_report,
                "cross_validation": protocol.summarise_cv(name, cv_results, gold_directory),
                "learning_curve": sorted(curve_rows, key=lambda row: row["fraction"]) if model.trainable else [],
                "cost": {k: v for k, v in cost.items() if k != "info"},
                "errors": analyse(test, predicted, examples=settings.error_examples),
            }
    write_reports(results, eval_root)
    return results
