"""Commands for the core: seed checks and the generated label schema files."""

from __future__ import annotations

import typer

seeds_app = typer.Typer(help="Seed reports: verify checksums, list sentences.", no_args_is_help=True)
schema_app = typer.Typer(help="The label schema and the files generated from it.", no_args_is_help=True)


@seeds_app.command("check")
def seeds_check() -> None:
    """Verify every seed file against the manifest's sha256 and print a summary."""
    from fazhi_ner.seeds import load_documents
    from fazhi_ner.sentences import document_sentences

    for doc in load_documents():
        sentences = document_sentences(doc)
        typer.echo(
            f"{doc.doc_id}\t{doc.file}\tok\t{doc.body_end - doc.body_start} body chars\t{len(sentences)} sentences"
        )


@schema_app.command("tags")
def schema_tags() -> None:
    """Print the IOB2 tag list in ClassLabel order."""
    from fazhi_ner.labels import TAGS

    for i, tag in enumerate(TAGS):
        typer.echo(f"{i}\t{tag}")


@schema_app.command("write")
def schema_write() -> None:
    """Regenerate annotation/label_config.xml and the label table in annotation/guidelines.md."""
    from fazhi_ner import schema

    for path in schema.write():
        typer.echo(f"wrote {path}")


@schema_app.command("check")
def schema_check() -> None:
    """Exit non-zero when a schema-generated file is stale."""
    from fazhi_ner import schema

    schema.check()
    typer.echo("schema files are up to date")
