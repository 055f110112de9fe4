"""``fazhi extract``, ``fazhi extraction evaluate`` and ``fazhi table build`` (thin: parse arguments, call).

``table build`` lives here rather than in ``fazhi_ner.comparison`` because ``--user-reports`` tags the ingested
reports, and the comparison stage sits below tagging.
"""

from __future__ import annotations

from pathlib import Path

import typer

from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL

extraction_app = typer.Typer(help="The end-to-end extraction measure (tag → link → value → cell).", no_args_is_help=True)
table_app = typer.Typer(help="The report × metric comparison table (Parquet, CSV) and its HTML page.", no_args_is_help=True)


def extract(
    files: list[str] = typer.Argument(..., help="Plain-text reports (UTF-8 or GB18030)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (files staged, then renamed together)."),
    model: str | None = typer.Option(None, "--model", help=f"Registered baseline (default: {DEFAULT_TAG_MODEL})."),
    unit: str | None = typer.Option(None, "--unit", help="Reporting unit of the one FILE (default: read from its title)."),
    year: int | None = typer.Option(None, "--year", help="Year the reports cover (default: read from each title)."),
    no_train: bool = typer.Option(False, "--no-train", help="Fail instead of training an untrained model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    models_dir: Path | None = typer.Option(None, "--models-dir", help="Where trained models live (default: the model cache; see README)."),
) -> None:
    """Reports to a table: tag, link INDICATORs to metric ids and AGENCYs to body types, read each value.

    Writes OUT/table.parquet, table.csv, matrix.csv, index.html and reports.jsonl; every cell is predicted.
    """
    from fazhi_ner.extraction.extract import extract_files

    result = extract_files(files, out, model=model, unit=unit, year=year, progress=not quiet, train=not no_train,
                           models_dir=models_dir)  # fmt: skip
    typer.echo(
        f"wrote {result.directory}: {result.cells} predicted cells from {result.reports} report(s), "
        f"{result.spans} spans, model {result.model}"
    )


@extraction_app.command("evaluate")
def evaluate_cmd(
    model: list[str] = typer.Option(
        [DEFAULT_TAG_MODEL, "crf-lac"], "--model", help="Submissions whose LODO fold files give the spans (first: headline)."
    ),
    bootstrap: int = typer.Option(2000, "--bootstrap", min=1, help="Bootstrap resamples."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default eval/extraction/)."),
    check: bool = typer.Option(False, "--check", help="Fail when the committed files are stale; write nothing."),
) -> None:
    """Leave-one-report-out cell precision, recall and F1 of the whole chain: eval/extraction/lodo.json and .md."""
    from fazhi_ner.extraction.lodo import run
    from fazhi_ner.stats import format_ci

    result = run(model, check=check, resamples=bootstrap, out=out)
    pooled = result.systems[model[0]].pooled
    verb = "up to date" if check else "wrote"
    typer.echo(
        f"{verb} eval/extraction/lodo.json: cell F1 {pooled.f1:.3f} {format_ci(pooled.f1_ci)} "
        f"(P {pooled.precision:.3f}, R {pooled.recall:.3f}), tagger {model[0]}"
    )


@table_app.command("build")
def build_cmd(
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default eval/comparison/)."),
    check: bool = typer.Option(False, "--check", help="Fail when the committed files are stale; write nothing."),
    user_reports: bool = typer.Option(
        False, "--user-reports", help="Add the ingested reports (user_reports/): gold cells where link gold exists, "
        "predicted cells (marked) otherwise; needs --out."
    ),
    model: str | None = typer.Option(None, "--model", help=f"Tagger for --user-reports (default {DEFAULT_TAG_MODEL})."),
) -> None:
    """Write eval/comparison/table.parquet, table.csv, matrix.csv and index.html from the link gold."""
    from fazhi_ner.comparison.build import build
    from fazhi_ner.extraction.user_reports import build_with_user_reports

    result = build_with_user_reports(out, model=model, check=check) if user_reports else build(out, check=check)
    if check:
        typer.echo(f"{result.directory} is up to date")
    else:
        typer.echo(
            f"wrote {result.directory}: {result.cells} cells ({result.predicted} predicted), {result.metrics} metrics, "
            f"{result.reports} reports"
        )
