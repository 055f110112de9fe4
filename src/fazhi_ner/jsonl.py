"""Reading JSON Lines files line by line, with the file and line of every problem.

Shared by every reader of our JSONL files (gold spans, prediction files), so malformed and
pathological lines (bad JSON, nesting too deep for the parser) are handled the same way everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line: ``row`` when it parsed, else ``error`` saying why not."""

    lineno: int
    where: str  # "<file>:<line>"
    row: object = None
    error: str | None = None


def read_jsonl(path: Path) -> Iterator[JsonLine]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield JsonLine(lineno, where, row=json.loads(line))
        except json.JSONDecodeError as exc:
            yield JsonLine(lineno, where, error=f"malformed JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:
            yield JsonLine(lineno, where, error="malformed JSON (nested too deeply to read)")
