"""Commands of the evaluation stage: evaluate, compare, leaderboard (also top-level shortcuts)."""

from __future__ import annotations

from pathlib import Path

import typer

from fazhi_ner.errors import PredictionError

app = typer.Typer(help="Evaluation: evaluate, compare, leaderboard.", no_args_is_help=True)

GOLD_HELP = "Gold folder (default annotation/gold); for provisional gold in tests."


def _examples(split: str | None, fold: int | None, gold_dir: Path | None) -> list:
    from fazhi_ner.corpus import load_examples

    if fold is not None:
        return load_examples(fold=fold, gold_directory=gold_dir)
    return load_examples(split, gold_directory=gold_dir)


def _read(path: Path, examples: list, allow_missing: bool):  # noqa: ANN202
    """Read a prediction file; on failure print the capped problem list, then raise (exit code 2)."""
    from rich.console import Console

    from fazhi_ner.evaluation.readers import InvalidPredictions, load_prediction_file

    try:
        return load_prediction_file(path, examples, allow_missing)
    except InvalidPredictions as exc:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        for line in exc.listing():
            err.print(line, markup=False)
        raise


@app.command("evaluate")
def evaluate(
    predictions: Path = typer.Argument(..., help="JSONL ({id, spans} or {id, tags}) or CoNLL prediction file."),
    split: str = typer.Option("test", "--split", help="Split to score against."),
    fold: int | None = typer.Option(
        None, "--fold", help="Score against this cross-validation fold's held-out document instead."
    ),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Score absent sentence ids as empty predictions."
    ),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=1, help="Bootstrap resamples for the 95% CIs."),
    unit: str = typer.Option("sentence", "--bootstrap-unit", help="Resample sentences or documents."),
    seed: int = typer.Option(0, "--seed"),
    json_out: Path | None = typer.Option(None, "--out", "-o", help="Write every number to this JSON file."),
    gold_dir: Path | None = typer.Option(None, "--gold", help=GOLD_HELP),
) -> None:
    """Score a prediction file with strict seqeval (IOB2), partial matching and bootstrap CIs."""
    from rich.console import Console

    from fazhi_ner.evaluation.harness import evaluate as run
    from fazhi_ner.evaluation.harness import evaluation_record, write_json
    from fazhi_ner.evaluation.report import render

    examples = _examples(split, fold, gold_dir)
    if not examples:
        raise PredictionError(f"split {split!r} has no gold sentences to score against")
    loaded = _read(predictions, examples, allow_missing)
    result = run(examples, loaded.for_scoring(), bootstrap=bootstrap, seed=seed, unit=unit, missing=loaded.missing)
    render(result, Console(highlight=False), title=f"{predictions} vs {split if fold is None else f'fold {fold}'}")
    if json_out is not None:
        write_json(json_out, evaluation_record(result, predictions, split=split, fold=fold))


@app.command("compare")
def compare(
    a: Path = typer.Argument(..., help="Predictions of system A."),
    b: Path = typer.Argument(..., help="Predictions of system B."),
    split: str = typer.Option("test", "--split"),
    resamples: int = typer.Option(1000, "--bootstrap", min=1, help="Paired bootstrap resamples."),
    permutations: int = typer.Option(10000, "--permutations", min=1, help="Approximate randomization trials."),
    unit: str = typer.Option("sentence", "--bootstrap-unit", help="Resample sentences or documents."),
    seed: int = typer.Option(0, "--seed"),
    json_out: Path | None = typer.Option(None, "--out", "-o", help="Write every number to this JSON file."),
    gold_dir: Path | None = typer.Option(None, "--gold", help=GOLD_HELP),
) -> None:
    """Test the micro-F1 difference B - A: paired bootstrap CI and p-values (bootstrap, randomization)."""
    from rich.console import Console

    from fazhi_ner.evaluation.harness import compare as run
    from fazhi_ner.evaluation.harness import comparison_record, write_json
    from fazhi_ner.evaluation.report import render_comparison

    examples = _examples(split, None, gold_dir)
    if not examples:
        raise PredictionError(f"split {split!r} has no gold sentences to score against")
    pa, pb = _read(a, examples, False), _read(b, examples, False)
    _, _, cmp = run(
        examples,
        pa.for_scoring(),
        pb.for_scoring(),
        resamples=resamples,
        permutations=permutations,
        seed=seed,
        unit=unit,
    )
    render_comparison(cmp, str(a), str(b), Console(highlight=False))
    if json_out is not None:
        write_json(json_out, comparison_record(cmp, a, b, examples, split=split, unit=unit, seed=seed))


@app.command("leaderboard")
def leaderboard(
    check: bool = typer.Option(
        False, "--check", help="Fail if the committed files differ from what would be generated."
    ),
    png: Path | None = typer.Option(
        None, "--screenshot", help="Also render leaderboard.html to this PNG with Chromium."
    ),
    gold_dir: Path | None = typer.Option(None, "--gold", help=GOLD_HELP),
    submissions: Path | None = typer.Option(
        None, "--submissions", help="Submissions folder (default eval/submissions)."
    ),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default eval/)."),
) -> None:
    """Score every submission in eval/submissions/ and write the leaderboard (JSON, Markdown, HTML)."""
    from fazhi_ner.evaluation import leaderboard as lb
    from fazhi_ner.paths import eval_dir

    board = lb.build(submissions, gold_directory=gold_dir)
    directory = out_dir or eval_dir()
    if check:
        lb.check(board, directory)
        typer.echo(f"{directory}: leaderboard files are up to date ({len(board.systems)} systems)")
        return
    for path in lb.write(board, directory):
        typer.echo(f"wrote {path}")
    if png is not None:
        from fazhi_ner.evaluation.screenshot import screenshot

        typer.echo(f"wrote {screenshot(directory / 'leaderboard.html', png)}")
