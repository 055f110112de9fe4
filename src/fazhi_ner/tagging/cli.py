"""Top-level commands `fazhi tag` and `fazhi ingest` (thin: parse arguments, call the library)."""

from __future__ import annotations

from pathlib import Path

import typer

from fazhi_ner.tagging.formats import FORMATS
from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL

_FORMAT_HELP = f"Output format: {' | '.join(FORMATS)}."


def tag(
    files: list[str] = typer.Argument(..., help="Plain-text reports (UTF-8 or GB18030); - reads stdin."),
    model: str | None = typer.Option(
        None, "--model", help=f"Registered baseline (default: {DEFAULT_TAG_MODEL})."
    ),
    fmt: str = typer.Option("jsonl", "--format", "-f", help=_FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (written atomically; default stdout)."),
    no_train: bool = typer.Option(False, "--no-train", help="Fail instead of training an untrained model."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    jobs: int = typer.Option(0, "--jobs", min=0, help="Worker processes (0: 2 for inputs of 50,000+ characters)."),
    models_dir: Path | None = typer.Option(
        None, "--models-dir", help="Where trained models live (default: the model cache; see README)."
    ),
) -> None:
    """Tag reports with a model: sentences split like the corpus, spans with scores where the model has them.

    The first run with an untrained model trains it once on the committed gold into the model cache (a minute
    or so for the CRF); later runs load it.
    """
    from fazhi_ner.tagging.run import tag_files

    summary = tag_files(
        files, model=model, fmt=fmt, out=out, train=not no_train, progress=not quiet, models_dir=models_dir, jobs=jobs
    )
    if out is not None:
        typer.echo(
            f"wrote {out}: {summary.sentences} sentence(s), {summary.spans} span(s) from {summary.inputs} "
            f"input(s), {summary.chars} characters, model {summary.model}",
            err=True,
        )


def ingest(
    file: Path = typer.Argument(..., help="The report (plain text, UTF-8 or GB18030)."),
    unit: str = typer.Option(..., "--unit", help="Reporting unit, e.g. 仙居县."),
    year: int = typer.Option(..., "--year", help="The year the report covers."),
    province: str = typer.Option("", "--province", help="Province, e.g. 浙江省."),
    prefecture: str = typer.Option("", "--prefecture", help="Prefecture, e.g. 台州市."),
    unit_type: str | None = typer.Option(None, "--unit-type", help="county | district | development_zone."),
    doc_id: str | None = typer.Option(None, "--doc-id", help="Document id (default user-<year>-<sha256 prefix>)."),
    corpus_dir: Path | None = typer.Option(None, "--corpus-dir", help="User corpus folder (default user_reports/)."),
) -> None:
    """Add a report to the user corpus (not seeds/): manifest row with sha256, boilerplate ranges, sentences."""
    from fazhi_ner.tagging.ingest import ingest as run

    done = run(file, unit=unit, year=year, province=province, prefecture=prefecture, unit_type=unit_type,
               doc_id=doc_id, directory=corpus_dir)  # fmt: skip
    doc = done.document
    typer.echo(
        f"ingested {doc.doc_id} -> {done.path}: {len(doc.text)} characters, body [{doc.body_start}, {doc.body_end}), "
        f"{len(doc.excluded)} boilerplate range(s) excluded, {done.sentences} sentence(s)"
    )
