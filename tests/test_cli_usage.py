"""Issue 14, item 5: usage errors print one line and a usage hint and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from fazhi_ner.cli import app, main

GROUPS = {"seeds", "schema", "annotate", "dataset", "eval", "baselines"}


def _commands() -> list[list[str]]:
    """Every leaf command path of the CLI, found by walking the real command tree."""
    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(command, path: list[str]) -> None:  # noqa: ANN001
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    return found


COMMANDS = _commands()


def test_the_tree_has_the_groups_and_no_top_level_shortcuts() -> None:
    top = {path[0] for path in COMMANDS}
    assert top >= GROUPS
    assert not {"build", "evaluate", "compare", "leaderboard", "train", "predict", "export", "publish"} & top
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_rejects_a_bad_option_in_one_line(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "--no-such-option"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("error: No such option: --no-such-option")
    assert err[1].startswith(f"usage: fazhi {' '.join(path)}") and "--help" in err[1]
    assert len(err) == 2


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["dataset", "biuld"], "No such command 'biuld'"),
        (["eval", "evaluate", "p.jsonl", "--bootstrap"], "Option '--bootstrap' requires an argument"),
        (["eval", "evaluate", "p.jsonl", "--bootstrap", "many"], "Invalid value for '--bootstrap'"),
        (["annotate", "serve", "--port", "http"], "Invalid value for '--port'"),
        (["dataset"], "missing command"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("error: ") and problem in err[0]
    assert "--help" in err[-1] and len(err) <= 2


def test_bare_fazhi_lists_the_commands_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr()
    assert "annotate" in out.out and "Traceback" not in out.err
    assert out.err.strip().splitlines() == ["error: missing command; usage: fazhi [OPTIONS] ...; try 'fazhi --help'"]


def test_console_script_exit_code_and_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from fazhi_ner.cli import entry_point; entry_point()", "dataset", "build", "--nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: No such option: --nope")
