"""Agreement and statistics commands of the annotation stage (fazhi_ner.cli mounts them on `fazhi annotate`)."""

from __future__ import annotations

from pathlib import Path

import typer

from fazhi_ner.paths import annotation_dir, exports_dir


def agreement(
    pass_a: Path = typer.Argument(
        None,
        help="First pass: Label Studio export (.json) or a folder of review/gold files. Default: annotation/exports/pass1.json",
    ),
    pass_b: Path = typer.Argument(
        None, help="Second, independent pass (same forms). Default: annotation/exports/pass2.json"
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Folder for agreement.json and agreement.md. Default: annotation/"
    ),
    resamples: int = typer.Option(1000, "--bootstrap", min=1, help="Bootstrap resamples (sentences)."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed."),
    check: bool = typer.Option(False, "--check", help="Write nothing; fail if agreement.json or .md is stale."),
) -> None:
    """Agreement between two independent passes on the documents both annotated."""
    from rich.console import Console
    from rich.table import Table

    from fazhi_ner.annotation.agreement import JSON_NAME, MARKDOWN_NAME, write_agreement
    from fazhi_ner.stats import format_ci

    pass_a = pass_a or exports_dir() / "pass1.json"
    pass_b = pass_b or exports_dir() / "pass2.json"
    out = out or annotation_dir()
    summary = write_agreement(pass_a, pass_b, out, resamples=resamples, seed=seed, check=check)
    table = Table(title=f"Agreement on {', '.join(summary.docs)}")
    for column in ("measure", "value", "95% CI"):
        table.add_column(column)
    strict = summary.strict
    table.add_row("strict span F1 (micro)", f"{strict.micro.f1:.3f}", format_ci(strict.micro.ci, style="dash"))
    for label, row in strict.per_label.items():
        table.add_row(f"strict span F1 {label}", f"{row.f1:.3f}", format_ci(row.ci, style="dash"))
    table.add_row("partial-overlap F1", f"{summary.partial.f1:.3f}", format_ci(summary.partial.ci, style="dash"))
    k = summary.kappa_char_iob2
    table.add_row("Cohen's kappa (char IOB2)", f"{k.kappa:.3f}", format_ci(k.ci, style="dash"))
    Console().print(table)
    typer.echo(f"disagreements: {summary.disagreements}")
    typer.echo(f"{'checked' if check else 'wrote'} {out / JSON_NAME} and {out / MARKDOWN_NAME}")


def stats(
    gold: Path = typer.Option(None, "--gold", help="Gold folder. Default: annotation/gold"),
    out: Path = typer.Option(None, "--out", "-o", help="Folder for stats.json and stats.md. Default: annotation/"),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when stats.json or stats.md is stale."),
) -> None:
    """Per report and per label: sentences, characters, spans, span lengths, share of sentences with a span."""
    from rich.console import Console
    from rich.table import Table

    from fazhi_ner.annotation.stats import write_stats

    table_data = write_stats(gold, out or annotation_dir(), check=check)
    if check:
        typer.echo("annotation stats are up to date")
        return
    table = Table(title="Gold statistics")
    for column in ("report", "label", "sentences", "chars", "spans", "mean len", "max len", "sent. with span"):
        table.add_column(column)
    for doc_id, rows in table_data.items():
        for label, r in rows.items():
            table.add_row(
                doc_id,
                label,
                str(r["sentences"]),
                str(r["characters"]),
                str(r["spans"]),
                str(r["mean_span_length"]),
                str(r["max_span_length"]),
                f"{float(r['share_sentences_with_span']):.1%}",
            )
    Console().print(table)


def consistency(
    source: Path = typer.Argument(
        None, help="Annotations: a folder of review/gold files or an export. Default: annotation/gold"
    ),
    out: Path = typer.Option(None, "--out", "-o", help="Write the list as Markdown to this file."),
) -> None:
    """List AGENCY/INITIATIVE strings annotated in one place but unlabelled or labelled differently elsewhere."""
    from fazhi_ner.annotation.consistency import find_inconsistencies
    from fazhi_ner.annotation.passes import read_pass
    from fazhi_ner.atomic import atomic_write_text
    from fazhi_ner.paths import gold_dir
    from fazhi_ner.seeds import load_documents

    spans = read_pass(source or gold_dir())
    problems = find_inconsistencies(load_documents(), spans)
    lines = [f"| {p.surface} | {p.label} | {p.sentence_id} | {p.start} | {p.found} |" for p in problems]
    text = (
        "| string | labelled elsewhere as | sentence | offset | here |\n|---|---|---|---|---|\n"
        + "\n".join(lines)
        + "\n"
    )
    if out:
        atomic_write_text(out, text)
    typer.echo(text)
    typer.echo(f"{len(problems)} inconsistent occurrences")
