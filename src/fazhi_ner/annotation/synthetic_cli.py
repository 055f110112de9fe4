"""``fazhi synthetic``: the train-only corpus we write ourselves (import, convert, overlap, agreement, blind)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="The synthetic training corpus: import written drafts, derive its gold, measure overlap and agreement.",
    no_args_is_help=True,
)
_CHECK = typer.Option(False, "--check", help="Write nothing; fail when a committed file is stale.")


@app.command("import")
def import_(
    drafts: list[Path] = typer.Argument(..., help="Draft files: '# key: value' header, blank line, 【text|LABEL】 body."),
    author: str = typer.Option(..., "--author", help="Who wrote and annotated the drafts (kept in the manifest)."),
) -> None:
    """Add written drafts as new synthetic documents (never overwrites one already imported)."""
    from fazhi_ner.synthetic import import_drafts

    added = import_drafts(sorted(drafts), author=author)
    typer.echo(f"imported {len(added)} documents: {added[0]} .. {added[-1]}" if added else "nothing to import")


@app.command("convert")
def convert(check: bool = _CHECK) -> None:
    """Derive annotation/synthetic/gold/*.jsonl from the adjudicated review files (review/gold)."""
    from fazhi_ner import synthetic

    files = synthetic.convert(check=check)
    typer.echo(f"{len(files)} synthetic gold files {'up to date' if check else 'written'}")


@app.command("overlap")
def overlap(
    window: int = typer.Option(25, "--window", min=5, help="Window length in characters."),
    limit: float = typer.Option(0.01, "--max", help="Fail above this share of windows found in a seed report."),
) -> None:
    """Share of the corpus' windows that occur in a seed report (punctuation width folded); fails above --max."""
    from fazhi_ner import synthetic
    from fazhi_ner.errors import StaleError
    from fazhi_ner.paths import seeds_dir
    from fazhi_ner.seeds import load_documents

    texts = [doc.text for doc in synthetic.load_synthetic_documents()]
    seeds = [doc.text for doc in load_documents(seeds_dir())]
    result = synthetic.seed_overlap(texts, seeds, window)
    typer.echo(
        f"{result.shared} of {result.windows} {window}-character windows of {len(texts)} synthetic documents "
        f"occur in a seed report: {100 * result.fraction:.2f}%"
    )
    for example in result.examples[:5]:
        typer.echo(f"  {example}")
    if result.fraction > limit:
        raise StaleError(f"overlap {100 * result.fraction:.2f}% expected at most {100 * limit:.2f}%")


@app.command("agreement")
def agreement(
    check: bool = _CHECK,
    bootstrap: int = typer.Option(1000, "--bootstrap", min=1, help="Bootstrap resamples (sentences)."),
) -> None:
    """Strict/partial agreement of the second pass with the first on the doubly annotated documents."""
    from fazhi_ner.annotation.synthetic_agreement import synthetic_agreement
    from fazhi_ner.stats import format_ci

    summary = synthetic_agreement(check=check, resamples=bootstrap)
    strict = summary.strict.micro
    typer.echo(
        f"{len(summary.docs)} documents, {summary.body_characters} characters "
        f"({100 * (summary.share_of_characters or 0):.1f}% of the corpus): strict F1 {strict.f1:.3f} "
        f"{format_ci(strict.ci)}"
    )


@app.command("blind")
def blind(
    doc_ids: list[str] = typer.Argument(..., help="Synthetic documents for the second pass (e.g. syn-001)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the blank review files (must not exist)."),
) -> None:
    """Blank review files (no spans, no pre-annotation) for an independent second pass."""
    from fazhi_ner.annotation.synthetic_agreement import write_blind

    written = write_blind(out, doc_ids)
    typer.echo(f"wrote {len(written)} blank review files to {out}")
