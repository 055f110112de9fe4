"""Commands of the dataset stage: build/check the HF dataset, export, publish."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="The Hugging Face dataset: build, check, export, publish.", no_args_is_help=True)

_GOLD = typer.Option(None, "--gold", help="Gold folder (default annotation/gold).")


@app.command("build")
def build_cmd(
    check: bool = typer.Option(False, "--check", help="Exit non-zero when dataset/ or the card is stale."),
    gold: Path | None = _GOLD,
    out: Path | None = typer.Option(None, "--out", "-o", help="Dataset folder to write (default dataset/)."),
    card: Path | None = typer.Option(None, "--card", help="Card path (default DATASET_CARD.md)."),
) -> None:
    """Build dataset/ (Parquet per config and split, README card, checksums) and DATASET_CARD.md."""
    from fazhi_ner.dataset import build as builder
    from fazhi_ner.gold import PENDING_HINT, pending_documents

    for doc_id in pending_documents(gold):
        typer.echo(f"pending: {doc_id}: {PENDING_HINT}")
    if check:
        builder.check(gold, out, card)
        typer.echo("dataset and card are up to date with the gold")
        return
    result = builder.build(gold, out, card, progress=typer.echo)
    for config, splits in result.counts.items():
        typer.echo(f"{config}\t" + "\t".join(f"{s}={n}" for s, n in splits.items()))
    if not result.readings:
        typer.echo("warning: fazhi_ner.indicators is not installed; indicator readings are null", err=True)
    typer.echo(f"wrote {result.out_dir} and {result.card_path} in {result.seconds:.1f}s")


@app.command("export")
def export_cmd(
    fmt: str = typer.Option(..., "--format", help="conll, spacy, jsonl or brat."),
    split: str = typer.Option(..., "--split", help="train, validation, test, all, or synthetic (the written corpus)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default build/exports)."),
    gold: Path | None = _GOLD,
) -> None:
    """Export a split of the gold as CoNLL, spaCy DocBin, JSONL or BRAT standoff."""
    from fazhi_ner.dataset.export import export

    for path in export(fmt, split, out, gold):
        typer.echo(f"wrote {path}")


@app.command("publish")
def publish_cmd(
    repo_id: str = typer.Option(..., "--repo-id", help="OWNER/NAME of the Hub dataset repository."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be uploaded; upload nothing."),
    folder: Path | None = typer.Option(None, "--dataset", help="Dataset folder to upload (default dataset/)."),
) -> None:
    """Upload dataset/ with huggingface_hub (token from HF_TOKEN only); without a token, a dry run."""
    from fazhi_ner.dataset.publish import listing, publish

    result, url = publish(repo_id, dry_run=dry_run, folder=folder)
    typer.echo(listing(result))
    if url is None and not dry_run:
        typer.echo("HF_TOKEN is not set: nothing uploaded (dry run)", err=True)
    elif url is not None:
        typer.echo(f"uploaded: {url}")


@app.command("provisional")
def provisional_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for PROVISIONAL gold (never annotation/gold)."),
    rules: bool = typer.Option(True, "--rules/--patterns", help="Use fazhi_ner.rules (default) or fixed patterns."),
) -> None:
    """Write provisional gold from the rule pre-annotator, for developing against before real gold exists."""
    from fazhi_ner.dataset.provisional import write_provisional_gold

    for path in write_provisional_gold(out, rules=rules):
        typer.echo(f"wrote {path}")
