"""The one write-or-check of generated files (fazhi_ner.atomic.write_or_check) and the modules that use it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fazhi_ner.atomic import write_or_check
from fazhi_ner.errors import StaleError

SRC = Path(__file__).resolve().parents[1] / "src" / "fazhi_ner"


def test_writes_only_what_differs_and_deletes_what_is_no_longer_generated(tmp_path: Path) -> None:
    same, changed, gone = tmp_path / "same.txt", tmp_path / "changed.bin", tmp_path / "gone.txt"
    same.write_text("a\n", encoding="utf-8")
    changed.write_bytes(b"old")
    gone.write_text("x", encoding="utf-8")
    before = same.stat().st_mtime_ns
    written = write_or_check({same: "a\n", changed: b"new"}, check=False, command="fazhi x", extra=[gone, same])
    assert written == [changed, gone]
    assert changed.read_bytes() == b"new" and not gone.exists() and same.stat().st_mtime_ns == before


def test_check_names_every_stale_and_extra_file_and_writes_nothing(tmp_path: Path) -> None:
    a, b, extra = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "old.txt"
    a.write_text("stale", encoding="utf-8")
    extra.write_text("x", encoding="utf-8")
    with pytest.raises(StaleError) as caught:
        write_or_check({a: "fresh", b: "new"}, check=True, command="fazhi x", extra=[extra])
    message = str(caught.value)
    assert message.startswith(f"{a}: stale; expected the output of `fazhi x`")
    assert str(b) in message and f"{extra} (no longer generated)" in message
    assert a.read_text(encoding="utf-8") == "stale" and not b.exists() and extra.exists()
    assert StaleError.exit_code == 1


def test_a_comparison_hook_decides_equality(tmp_path: Path) -> None:
    table = tmp_path / "t.parquet"
    table.write_bytes(b"written by another version")
    assert write_or_check({table: b"other bytes"}, check=True, command="c", same=lambda p, wanted: True) == []
    with pytest.raises(StaleError):
        write_or_check({table: b"other bytes"}, check=True, command="c")


# Modules that write committed generated files: each goes through write_or_check (or write_or_check_result).
WRITERS = (
    "schema.py", "synthetic.py", "evaluation/leaderboard.py", "comparison/build.py", "annotation/convert.py",
    "annotation/stats.py", "annotation/agreement.py", "annotation/active_learning.py", "links/agreement.py",
    "links/evaluate.py", "extraction/lodo.py", "baselines/report.py", "baselines/synthetic_study.py",
)  # fmt: skip


@pytest.mark.parametrize("module", WRITERS)
def test_every_writer_of_a_committed_file_uses_the_one_write_or_check(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert called & {"write_or_check", "write_or_check_result"}, module
    assert not called & {"stale_paths"} or module == "dataset/build.py"
