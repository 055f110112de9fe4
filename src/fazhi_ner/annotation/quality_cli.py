"""Agreement and statistics commands of the annotation stage (mounted on `fazhi annotate`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `agreement` and `stats` to the annotate group."""
