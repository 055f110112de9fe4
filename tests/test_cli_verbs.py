"""One meaning per verb (README "Command verbs"), and the README's command tables match the mounted commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from fazhi_ner.cli import app, main

ROOT = Path(__file__).resolve().parents[1]


def _leaves() -> dict[str, set[str]]:
    """Every command path of ``fazhi`` (e.g. ``links check``) -> its option names."""
    found: dict[str, set[str]] = {}

    def walk(command: object, path: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found[" ".join(path)] = {o for p in command.params for o in p.opts}  # type: ignore[attr-defined]
            return
        for name, child in children.items():
            walk(child, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    return text[start : text.index("\n#", start + 1)]


def _rows(section: str) -> list[list[str]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines() if line.startswith("| ")]
    return rows[1:]  # the header


def test_the_command_table_lists_every_command_and_every_check_option() -> None:
    documented: dict[str, bool] = {}
    for group, cell in _rows(_section("## The command line")):
        prefix = "" if group == "top level" else group.strip("`").removeprefix("fazhi ") + " "
        for m in re.finditer(r"`([a-z][\w-]*)`( \(`--check`)?", cell):
            documented[prefix + m.group(1)] = documented.get(prefix + m.group(1), False) or bool(m.group(2))
    leaves = _leaves()
    assert set(documented) == set(leaves)
    assert {p for p, has in documented.items() if has} == {p for p, opts in leaves.items() if "--check" in opts}


def test_the_verbs_table_names_every_command_of_its_verbs() -> None:
    """A command named by a listed verb (alone or as a part: ``convert-all``, ``synthetic-import``) is in its row."""
    leaves = _leaves()
    listed: dict[str, set[str]] = {}
    for verbs, _, commands in _rows(_section("### Command verbs")):
        paths = set(re.findall(r"`([a-z][a-z -]*[a-z])`", commands)) & set(leaves)
        assert paths, commands
        for verb in re.findall(r"`-*([a-z]+)`", verbs):
            listed[verb] = paths
    for path in leaves:
        name = path.split()[-1]
        verb = next((v for v in (name, *name.split("-")) if v in listed), None)
        if verb is not None:
            assert path in listed[verb], f"`{path}` is missing from the `{verb}` row of README 'Command verbs'"


# Cheap checks, run against the committed files: each passes and writes nothing anywhere in the checkout.
CHEAP_CHECKS = [
    ["seeds", "check"],
    ["schema", "check"],
    ["links", "check"],
    ["baselines", "check"],
    ["synthetic", "convert", "--check"],
    ["annotate", "convert-all", "--check"],
]


def _snapshot() -> dict[str, tuple[int, int]]:
    # caches that parallel tests write (.grimp_cache by lint-imports, .hypothesis) are not the project's files
    skip = {".git", ".venv", "build", ".pytest_cache", ".ruff_cache", ".import_linter_cache", ".grimp_cache",
            ".hypothesis", "__pycache__"}  # fmt: skip
    return {
        str(p.relative_to(ROOT)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in ROOT.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
    }


@pytest.mark.parametrize("argv", CHEAP_CHECKS, ids=" ".join)
def test_a_check_writes_nothing(argv: list[str]) -> None:
    before = _snapshot()
    assert main(argv) == 0
    assert _snapshot() == before


def test_a_check_exits_2_on_invalid_input_and_1_on_a_stale_generated_file(tmp_path: Path, monkeypatch, capsys) -> None:
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    changed = seeds / "000_9395c741ae9d1598.txt"
    changed.write_bytes(changed.read_bytes().replace("高台".encode(), "高合".encode(), 1))
    monkeypatch.setattr("fazhi_ner.seeds.seeds_dir", lambda: seeds)
    assert main(["seeds", "check"]) == 2  # an input (a seed report) is invalid
    assert "sha256 expected" in capsys.readouterr().err
    generated = tmp_path / "annotation"
    generated.mkdir()
    monkeypatch.setattr("fazhi_ner.schema.annotation_dir", lambda: generated)
    assert main(["schema", "check"]) == 1  # a generated file is stale (here: missing)
    assert list(generated.iterdir()) == []  # and nothing was written
