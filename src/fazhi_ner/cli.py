"""The ``fazhi`` command line: one sub-command group per stage, plus top-level shortcuts.

Every subpackage owns its commands in its own ``cli.py`` and exposes ``app`` (its group) and
``register(root)`` (its top-level shortcuts such as ``fazhi build``). Heavy libraries are imported
inside commands, so ``fazhi --help`` stays fast.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

from fazhi_ner import __version__
from fazhi_ner.errors import FaZhiError

app = typer.Typer(
    name="fazhi",
    help="FaZhi-NER: annotate, build, train and evaluate NER on rule-of-law government reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """FaZhi-NER command line."""


def _mount() -> None:
    from fazhi_ner import core_cli
    from fazhi_ner.annotation import cli as annotation_cli
    from fazhi_ner.baselines import cli as baselines_cli
    from fazhi_ner.dataset import cli as dataset_cli
    from fazhi_ner.evaluation import cli as evaluation_cli
    from fazhi_ner.tagging import cli as tagging_cli  # issue 13: `fazhi tag`, `fazhi ingest`

    for module in (core_cli, annotation_cli, dataset_cli, evaluation_cli, baselines_cli, tagging_cli):
        module.register(app)


_mount()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; our typed errors become one ``error:`` line on stderr and a non-zero exit code."""
    try:
        result = app(args=argv, standalone_mode=False)
    except FaZhiError as exc:
        err_console.print(f"error: {exc}", markup=False)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.ClickException, typer._click.exceptions.ClickException) as exc:  # typer 0.29 vendors click
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted", markup=False)
        return 1
    return result if isinstance(result, int) else 0


def entry_point() -> None:
    sys.exit(main())
