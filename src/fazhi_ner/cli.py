"""The ``fazhi`` command line: one sub-command group per stage, one name per action.

Every subpackage owns its commands in its own ``cli.py`` and exposes ``app`` (its group) and
``register(root)`` (which mounts that group). There are no top-level shortcuts: ``fazhi dataset
build``, not ``fazhi build``. Heavy libraries are imported inside commands, so ``fazhi --help``
stays fast.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from fazhi_ner.errors import FaZhiError
from fazhi_ner.version import __version__

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
    from fazhi_ner.annotation import synthetic_cli
    from fazhi_ner.baselines import cli as baselines_cli
    from fazhi_ner.dataset import cli as dataset_cli
    from fazhi_ner.evaluation import cli as evaluation_cli
    from fazhi_ner.extraction import cli as extraction_cli  # issue 22: `fazhi extract`, `extraction`, `table`
    from fazhi_ner.tagging import cli as tagging_cli  # issue 13: `fazhi tag`, `fazhi ingest`

    modules = (core_cli, annotation_cli, synthetic_cli, dataset_cli, evaluation_cli, baselines_cli, tagging_cli,
               extraction_cli)  # fmt: skip
    for module in modules:
        module.register(app)


_mount()
app.add_typer(importlib.import_module("fazhi_ner.links.cli").app, name="links")


def _exception_classes(name: str) -> tuple[type[BaseException], ...]:
    """``name`` (UsageError, ClickException, Exit, Abort) from every place it may live.

    typer 0.29 vendors click as ``typer._click`` (its UsageError is *not* ``click.UsageError``) and
    defines Exit and Abort itself; older typers use click's own classes. Catch them all, so no usage
    error ends in a traceback.
    """
    import importlib

    found: list[type[BaseException]] = []
    for module in ("typer._click.exceptions", "typer.exceptions", "typer", "click.exceptions"):
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, BaseException) and cls not in found:
            found.append(cls)
    return tuple(found)


def _usage_hint(exc: BaseException) -> str:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "fazhi"
    return f"usage: {path} [OPTIONS] ...; try '{path} --help'"


INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; our typed errors become one ``error:`` line on stderr and their exit code.

    One table for every command (fazhi_ner.errors, README "Exit codes"): 0 done, 1 a stale check, 2 bad input
    or usage, 130 interrupted. Usage errors (unknown option or command, missing or badly typed value, no
    command) print one ``error:`` line and a usage hint.
    """
    from fazhi_ner.numeric import pin

    pin()  # before any command imports torch: the project's numbers must not depend on the user's shell
    usage_errors = _exception_classes("UsageError")
    click_errors = _exception_classes("ClickException")
    exits = _exception_classes("Exit")
    aborts = _exception_classes("Abort")
    try:
        result = app(args=argv, prog_name="fazhi", standalone_mode=False)
    except FaZhiError as exc:
        err_console.print(f"error: {exc}", markup=False)
        return exc.exit_code
    except exits as exc:
        code = int(getattr(exc, "exit_code", 0) or 0)
        if code == INTERRUPTED:  # typer reports Ctrl-C as Exit(130)
            err_console.print("interrupted", markup=False)
        return code
    except usage_errors as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # typer has printed the help already
            err_console.print(f"error: missing command; {_usage_hint(exc)}", markup=False)
            return 2
        message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
        err_console.print(f"error: {message}", markup=False)
        err_console.print(_usage_hint(exc), markup=False)
        return 2
    except click_errors as exc:
        message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
        err_console.print(f"error: {message}", markup=False)
        return int(getattr(exc, "exit_code", 1) or 1)
    except (*aborts, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        err_console.print("interrupted", markup=False)
        return INTERRUPTED
    if result == INTERRUPTED:  # typer returns 130 for a Ctrl-C inside a command
        err_console.print("interrupted", markup=False)
    return result if isinstance(result, int) else 0


def entry_point() -> None:
    sys.exit(main())
