"""The ``fazhi`` command line: one sub-command group per stage, one name per action.

Every stage owns its commands in its own ``*cli.py`` and exposes them: ``app`` (its group), a named group
(``core_cli.seeds_app``), or a command function (``tagging.cli.tag``). :data:`COMMANDS` below mounts every one
of them, and nothing else mounts a command: no module adds commands to another's group, and the imports are
static, so import-linter sees the whole CLI (tests/test_layers.py). There are no top-level shortcuts:
``fazhi dataset build``, not ``fazhi build``. Heavy libraries are imported inside commands, so ``fazhi --help``
stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer
from rich.console import Console

from fazhi_ner import core_cli, pipeline_cli
from fazhi_ner.annotation import cli as annotation_cli
from fazhi_ner.annotation import model_cli, quality_cli, synthetic_cli
from fazhi_ner.baselines import cli as baselines_cli
from fazhi_ner.dataset import cli as dataset_cli
from fazhi_ner.errors import FaZhiError
from fazhi_ner.evaluation import cli as evaluation_cli
from fazhi_ner.extraction import cli as extraction_cli
from fazhi_ner.links import cli as links_cli
from fazhi_ner.tagging import cli as tagging_cli
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


#: Every command of ``fazhi``, by its path: a Typer app is mounted as a group, a function as a command, on the
#: group named by the path's head ("" is the root). One table, the one place a command is mounted. Within a
#: group, ``--help`` lists commands (in the order mounted) before sub-groups (in the order mounted).
COMMANDS: tuple[tuple[str, typer.Typer | Callable[..., None]], ...] = (
    ("seeds", core_cli.seeds_app),
    ("schema", core_cli.schema_app),
    ("annotate", annotation_cli.app),
    ("annotate agreement", quality_cli.agreement),
    ("annotate stats", quality_cli.stats),
    ("annotate consistency", quality_cli.consistency),
    ("annotate ml-backend", model_cli.ml_backend),  # issue 13: model-in-the-loop annotation
    ("annotate active-learning", model_cli.active_learning),
    ("synthetic", synthetic_cli.app),
    ("dataset", dataset_cli.app),
    ("eval", evaluation_cli.app),
    ("baselines", baselines_cli.app),
    ("tag", tagging_cli.tag),  # issue 13: a user's reports
    ("ingest", tagging_cli.ingest),
    ("extract", extraction_cli.extract),  # issue 22: reports to a table
    ("extraction", extraction_cli.extraction_app),
    ("table", extraction_cli.table_app),
    ("links", links_cli.app),
    ("reproduce", pipeline_cli.reproduce),  # issue 23: the registry of generated artefacts (fazhi_ner.pipeline)
    ("check", pipeline_cli.check),
)


def mount(root: typer.Typer, commands: tuple[tuple[str, typer.Typer | Callable[..., None]], ...]) -> None:
    """Mount ``commands`` (path, group or function) on ``root``; a parent group must come before its children."""
    groups: dict[str, typer.Typer] = {"": root}
    for path, target in commands:
        parent, _, name = path.rpartition(" ")
        if isinstance(target, typer.Typer):
            groups[parent].add_typer(target, name=name)
            groups[path] = target
        else:
            groups[parent].command(name)(target)


mount(app, COMMANDS)


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
