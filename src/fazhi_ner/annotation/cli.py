"""Commands of the annotation stage."""

from __future__ import annotations

import typer

app = typer.Typer(help="annotation commands.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Mount this stage's group (and any top-level shortcuts) on the root CLI."""
    root.add_typer(app, name="annotate")
