"""``fazhi table …``: the report × metric table and its static HTML page."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="The report × metric comparison table (Parquet, CSV) and its HTML page.", no_args_is_help=True)


@app.command("build")
def build_cmd(
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default eval/comparison/)."),
    check: bool = typer.Option(False, "--check", help="Fail when the committed files are stale; write nothing."),
) -> None:
    """Write eval/comparison/table.parquet, table.csv, matrix.csv and index.html from the link gold."""
    from fazhi_ner.comparison.build import build

    result = build(out, check=check)
    if check:
        typer.echo(f"{result.directory} is up to date")
    else:
        typer.echo(
            f"wrote {result.directory}: {result.cells} cells, {result.metrics} metrics, {result.reports} reports"
        )
