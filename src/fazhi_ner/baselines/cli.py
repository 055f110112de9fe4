"""Commands of the baselines stage (`fazhi baselines ...`)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Baseline NER models: train, predict, reproduce, benchmark.", no_args_is_help=True)

GOLD_DIR = typer.Option(None, "--gold", help="Gold span folder (default annotation/gold).")
MODELS_DIR = typer.Option(None, "--models-dir", help="Where trained models live (default: the model cache; see README).")


@app.command("list")
def list_baselines() -> None:
    """List the registered baselines and their system type."""
    from fazhi_ner.baselines.base import load_config
    from fazhi_ner.baselines.registry import BASELINE_NAMES

    for name in BASELINE_NAMES:
        config = load_config(name)
        typer.echo(f"{name}\t{config.type}\t{config.link}")


@app.command("forms")
def forms(
    model: list[str] = typer.Option(None, "--model", help="Baseline(s) to measure (default: those in reproduce.yaml)."),
    no_train: bool = typer.Option(False, "--no-train", help="Fail instead of training an untrained model."),
) -> None:
    """Span-multiset F1 of each model on the test report in other forms (full-width, hard-wrapped) vs the original."""
    from fazhi_ner.baselines.form_robustness import TARGETS, VARIANTS, robustness
    from fazhi_ner.baselines.resolve import resolve
    from fazhi_ner.errors import BaselineError

    names = model or _reproduce_names()
    typer.echo("model\t" + "\t".join(VARIANTS) + "\tmeets targets")
    for name in names:
        handle = resolve(name)
        if not handle.trained:
            if no_train:
                raise BaselineError(f"model {name!r} is not trained; run `fazhi baselines train {name}` or drop --no-train")
            handle.train()
        row = robustness(handle.load())
        ok = all(row[v] >= TARGETS[v] for v in VARIANTS)
        typer.echo(f"{name}\t" + "\t".join(f"{row[v]:.3f}" for v in VARIANTS) + f"\t{'yes' if ok else 'no'}")


def _reproduce_names() -> list[str]:
    from fazhi_ner.baselines import protocol

    return list(protocol.load_settings().baselines)


@app.command("train")
def train(
    name: str = typer.Argument(..., help="Baseline name (see `fazhi baselines list`)."),
    fold: int | None = typer.Option(None, "--fold", help="Train for leave-one-report-out fold K (0-4)."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    gold_dir: Path | None = GOLD_DIR,
    models_dir: Path | None = MODELS_DIR,
) -> None:
    """Train a baseline on the train split (or a CV fold) and save it in the model cache (build/models/ in a checkout)."""
    from fazhi_ner.baselines import protocol

    path = protocol.train(name, seed=seed, fold=fold, gold_directory=gold_dir, root=models_dir, log=typer.echo)
    typer.echo(f"saved {path}")


@app.command("predict")
def predict(
    name: str = typer.Argument(..., help="Baseline name."),
    split: str = typer.Option("test", "--split", help="Split to predict: train, validation or test."),
    fold: int | None = typer.Option(None, "--fold", help="Predict the held-out report of fold K with its fold model."),
    gold_dir: Path | None = GOLD_DIR,
    models_dir: Path | None = MODELS_DIR,
    out: Path | None = typer.Option(None, "--out", "-o", help="Submissions folder (default eval/submissions)."),
) -> None:
    """Write eval/submissions/NAME/predictions.jsonl (or predictions.fold<K>.jsonl) and submission.yaml."""
    from fazhi_ner.baselines import protocol
    from fazhi_ner.baselines.submission import write_predictions
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.submission import prediction_file_name
    from fazhi_ner.splits import check_split_name

    model = protocol.load_or_create(name, fold=fold, root=models_dir)
    if fold is None:
        check_split_name(split)
        examples = protocol.require_examples(load_examples(split, gold_directory=gold_dir), f"the {split} split")
        filename = prediction_file_name(split)
    else:
        examples = protocol.fold_sets(fold, gold_dir)[2]
        filename = prediction_file_name(fold=fold)
    path = write_predictions(model.config, protocol.predict_examples(model, examples), filename=filename, root=out)
    typer.echo(f"wrote {path} ({len(examples)} sentences)")


@app.command("reproduce")
def reproduce(
    only: list[str] = typer.Option([], "--only", help="Run only these baselines (repeatable)."),
    gold_dir: Path | None = GOLD_DIR,
    models_dir: Path | None = MODELS_DIR,
    eval_dir: Path | None = typer.Option(None, "--eval-dir", help="Results folder to write (default eval/)."),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Parallel training runs for CV and the learning curve."),
) -> None:
    """Train every baseline, predict test, run CV, learning curve and cost; write eval/baselines.json + BASELINES.md."""
    import time

    from fazhi_ner.baselines.reproduce import reproduce as run
    from fazhi_ner.paths import eval_dir as default_eval_dir

    started = time.perf_counter()
    results = run(only or None, gold_directory=gold_dir, eval_root=eval_dir, models=models_dir, jobs=jobs)
    root = eval_dir or default_eval_dir()
    for name, row in results.baselines.items():
        cv = row.cross_validation.pooled
        spread = f"{cv.mean:.4f} ± {cv.std:.4f}" if cv else "-"
        typer.echo(f"{name}\ttest F1 {row.test.micro.f1:.4f}\tCV pooled F1 {spread}")
    typer.echo(f"wrote {root / 'baselines.json'} and {root / 'BASELINES.md'} in {time.perf_counter() - started:.0f} s")


@app.command("benchmark")
def benchmark(
    names: list[str] = typer.Argument(None, help="Baselines to measure (default: those in baselines/reproduce.yaml)."),
    gold_dir: Path | None = GOLD_DIR,
) -> None:
    """Measure training time, prediction speed, model size and peak memory, each in a fresh process."""
    from rich.console import Console

    from fazhi_ner.baselines.cost import run_in_subprocess
    from fazhi_ner.baselines.protocol import load_settings
    from fazhi_ner.baselines.report import cost_table
    from fazhi_ner.paths import build_dir

    costs = {}
    console = Console(stderr=True)
    for name in names or load_settings().baselines:
        with console.status(f"benchmarking {name}"):
            bench = run_in_subprocess(
                name,
                build_dir() / "bench" / "models" / name,
                build_dir() / "bench" / f"{name}.json",
                gold_directory=gold_dir,
            )
        costs[name] = bench.cost
    typer.echo(cost_table(costs), nl=False)


@app.command("synthetic-study")
def synthetic_study(
    models: list[str] = typer.Option([], "--model", help="Learned baselines to study (repeatable)."),
    shares: list[float] = typer.Option([], "--share", help="Shares of the synthetic corpus (default 0, .25, .5, 1)."),
    seeds: list[int] = typer.Option([], "--seed", help="Seeds for models that are not deterministic (default 0)."),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Parallel training runs."),
    check: bool = typer.Option(False, "--check", help="Only verify eval/SYNTHETIC_STUDY.md against the JSON."),
) -> None:
    """LODO over the real reports of models trained with 0-100% of the synthetic corpus added (slow: its own command)."""
    from rich.progress import Progress

    from fazhi_ner.baselines import synthetic_study as study
    from fazhi_ner.baselines.results import lodo_f1
    from fazhi_ner.errors import ArgumentError

    if check:
        study.check()
        typer.echo(f"eval/{study.MD_NAME} is up to date with eval/{study.JSON_NAME}")
        return
    if not models:
        raise ArgumentError("--model: name at least one learned baseline")
    if any(not 0 <= s <= 1 for s in shares):
        raise ArgumentError(f"--share: expected shares in [0, 1], found {shares}")
    total = len(study.study_tasks(models, shares or study.SHARES, seeds or (0,)))
    with Progress(transient=True) as progress:
        bar = progress.add_task("training folds", total=total)
        rows = study.run(models, shares or study.SHARES, seeds or (0,), jobs=jobs,
                         on_done=lambda _: progress.advance(bar))  # fmt: skip
    for row in rows:
        typer.echo(f"{row.model}\tshare {row.share:.2f}\tLODO pooled F1 {lodo_f1(row):.4f}")


@app.command("report")
def report(eval_dir: Path | None = typer.Option(None, "--eval-dir", help="Results folder (default eval/).")) -> None:
    """Rewrite eval/BASELINES.md and eval/SYNTHETIC_STUDY.md from their JSON files (no training)."""
    from dataclasses import replace

    from fazhi_ner.baselines.report import write_reports
    from fazhi_ner.baselines.reproduce import study_rows
    from fazhi_ner.baselines.results import load
    from fazhi_ner.paths import eval_dir as default_eval_dir

    root = eval_dir or default_eval_dir()
    from fazhi_ner.baselines.synthetic_study import write_report

    results = replace(load(root), synthetic_study=study_rows(root))  # the slower study's committed rows
    write_report(root)
    _, md = write_reports(results, root)
    typer.echo(f"wrote {md}")


@app.command("check")
def check(
    gold_dir: Path | None = GOLD_DIR,
    eval_dir: Path | None = typer.Option(None, "--eval-dir", help="Results folder (default eval/)."),
    against_committed: bool = typer.Option(
        False, "--against-committed", help="Also compare with the committed eval/baselines.json (after `make reproduce`)."
    ),
) -> None:
    """Fail when BASELINES.md, baselines.json and the prediction files are not one run (or moved beyond tolerance)."""
    from fazhi_ner.baselines.check import check as run_check
    from fazhi_ner.baselines.check import committed_results
    from fazhi_ner.paths import eval_dir as default_eval_dir

    root = eval_dir or default_eval_dir()
    reference = committed_results(root / "baselines.json") if against_committed else None
    for note in run_check(root, gold_directory=gold_dir, reference=reference):
        typer.echo(note)
    typer.echo(f"{root / 'baselines.json'}: consistent with BASELINES.md and the submission files")


@app.command("weights")
def weights(
    check: bool = typer.Option(False, "--check", help="Verify the sha256s and that the weights predict the committed test files."),
    gold_dir: Path | None = GOLD_DIR,
    models_dir: Path | None = MODELS_DIR,
    eval_dir: Path | None = typer.Option(None, "--eval-dir", help="Results folder holding submissions/ (default eval/)."),
) -> None:
    """Committed weights of spaCy and the BiLSTM (baselines/weights/): copy them from the model cache, or --check them."""
    from fazhi_ner.baselines import weights as committed
    from fazhi_ner.baselines.protocol import models_root

    if check:
        for note in committed.check(eval_root=eval_dir, gold_directory=gold_dir):
            typer.echo(note)
        typer.echo(f"{committed.weights_dir() / committed.SUMS}: every file matches its sha256")
        return
    names = committed.refresh(committed.WEIGHTED, models_dir or models_root())
    typer.echo(f"copied {', '.join(names)} into {committed.weights_dir()} and rewrote {committed.SUMS}")


@app.command("best")
def best(
    no_rules: bool = typer.Option(False, "--no-rules", help="Only models that do not read the rule tagger."),
    learned_only: bool = typer.Option(False, "--learned-only", help="Skip the rule tagger itself (what `fazhi tag` uses)."),
    eval_dir: Path | None = typer.Option(None, "--eval-dir", help="Results folder (default eval/)."),
) -> None:
    """Print the registered model with the highest LODO pooled F1 in eval/baselines.json."""
    from fazhi_ner.baselines.registry import best_model

    choice = best_model(
        allow_rule_tagger=not no_rules,
        learned_only=learned_only,
        results_path=eval_dir / "baselines.json" if eval_dir else None,
    )
    typer.echo(f"{choice.name}\tLODO pooled F1 {choice.lodo_f1:.4f}\tuses_rule_tagger={str(choice.uses_rule_tagger).lower()}")


@app.command("vote")
def vote(
    model: list[str] = typer.Option(..., "--model", help="A member (repeat; best first: it wins ties)."),
    min_votes: int = typer.Option(2, "--min-votes", help="Votes a span needs to be kept."),
    gold_dir: Path | None = GOLD_DIR,
    eval_dir: Path | None = typer.Option(
        None, "--eval-dir", help="Results folder holding submissions/ (default eval/)."
    ),
) -> None:
    """Print the LODO figures of a span vote across models, from their fold prediction files (no training)."""
    from fazhi_ner.baselines.ensemble import Vote, vote_cv
    from fazhi_ner.baselines.results import lodo_f1
    from fazhi_ner.errors import ArgumentError, BaselineError
    from fazhi_ner.labels import LABEL_NAMES
    from fazhi_ner.paths import eval_dir as default_eval_dir

    ensemble = Vote("vote", tuple(model), min_votes)
    try:
        ensemble.check("--model/--min-votes:")
    except BaselineError as exc:
        raise ArgumentError(str(exc)) from None  # a usage error: exit 2
    _, cv = vote_cv(ensemble, (eval_dir or default_eval_dir()) / "submissions", gold_dir)
    per = "  ".join(f"{label} {lodo_f1(cv, label):.4f}" for label in LABEL_NAMES)
    typer.echo(f"{min_votes} of {', '.join(model)}: LODO pooled F1 {lodo_f1(cv):.4f}  {per}")
