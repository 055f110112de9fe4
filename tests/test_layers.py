"""The import layering (pyproject.toml [tool.importlinter]) holds, and the installed package holds no test tooling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "0 broken" in proc.stdout


def test_no_test_tooling_in_the_package() -> None:
    source = (ROOT / "src" / "fazhi_ner").rglob("*.py")
    assert not [p for p in source if "mock.patch" in p.read_text(encoding="utf-8")]
