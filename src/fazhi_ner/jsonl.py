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
    """Every non-blank line of ``path``; a line that is not UTF-8 (binary junk) is an error line, not a crash."""
    for lineno, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        where = f"{path}:{lineno}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield JsonLine(
                lineno, where, error=f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
            )
            continue
        if not line.strip():
            continue
        try:
            yield JsonLine(lineno, where, row=json.loads(line))
        except json.JSONDecodeError as exc:
            yield JsonLine(lineno, where, error=f"malformed JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:
            yield JsonLine(lineno, where, error="malformed JSON (nested too deeply to read)")
