"""``fazhi reproduce`` and ``fazhi check``: run the registry of generated artefacts (fazhi_ner.pipeline).

Each step runs as ``python -m fazhi_ner ...`` in its own process, so a step's memory (a trained model, a
Label Studio client) is returned before the next starts and its exit code is the step's own.
"""

from __future__ import annotations

import subprocess
import sys

import typer

from fazhi_ner.errors import StaleError

STEPS_OPTION = typer.Option(None, "--step", help="Run only this step (repeatable); default every step.")


def _run(argv: tuple[str, ...]) -> int:
    return subprocess.run([sys.executable, "-m", "fazhi_ner", *argv], check=False).returncode


def reproduce(steps: list[str] = STEPS_OPTION) -> None:
    """Rebuild every generated file in dependency order (studies excepted: their outputs are checked)."""
    from fazhi_ner.pipeline import select

    chosen = select(tuple(steps or ()))
    for index, step in enumerate(chosen, 1):
        if step.build is None:
            typer.echo(f"[{index}/{len(chosen)}] {step.name}: no command of its own, checked by `fazhi check`: {step.doc}", err=True)
            continue
        typer.echo(f"[{index}/{len(chosen)}] {step.name}: fazhi {' '.join(step.build)}", err=True)
        code = _run(step.build)
        if code:
            raise typer.Exit(code)


def check(steps: list[str] = STEPS_OPTION) -> None:
    """Verify every committed generated file, writing nothing; every stale step is named, exit 1 (2 on bad input)."""
    from fazhi_ner.pipeline import select

    chosen = select(tuple(steps or ()))
    failed: list[tuple[str, int]] = []
    for index, step in enumerate(chosen, 1):
        typer.echo(f"[{index}/{len(chosen)}] {step.name}: fazhi {' '.join(step.check)}", err=True)
        code = _run(step.check)
        if code:
            failed.append((step.name, code))
    if failed:
        names = ", ".join(name for name, _ in failed)
        worst = max(code for _, code in failed)
        if worst == StaleError.exit_code:
            raise StaleError(f"stale: {names}; run `fazhi reproduce --step NAME` for each, or `make reproduce`")
        raise typer.Exit(worst)
    typer.echo(f"all {len(chosen)} steps up to date")
