"""JSON Lines: the one reader (line by line, with the file and line of every problem) and the one writer.

Shared by every reader of our JSONL files (the seed manifest, gold spans, prediction files, link
passes, dataset exports), so malformed and pathological lines (bad JSON, binary junk, nesting too
deep for the parser) are handled the same way everywhere. Lines are split on ``\\n`` only: a raw
U+2028 inside a JSON string (``ensure_ascii=False``) is text, not a line break.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import FaZhiError, FormatError


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line: ``row`` when it parsed, else ``error`` saying why not; ``text`` is the raw line."""

    lineno: int
    where: str  # "<file>:<line>"
    row: object = None
    error: str | None = None
    text: str = ""


def parse_jsonl(data: bytes | str, *, where: str) -> Iterator[JsonLine]:
    """Every non-blank line of ``data``; a line that is not UTF-8 (binary junk) is an error line, not a crash."""
    raws = data.split(b"\n") if isinstance(data, bytes) else data.split("\n")
    for lineno, raw in enumerate(raws, start=1):
        at = f"{where}:{lineno}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield JsonLine(
                    lineno,
                    at,
                    error=f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x} at column {exc.start + 1}",
                )
                continue
        else:
            line = raw
        if not line.strip():
            continue
        try:
            yield JsonLine(lineno, at, row=json.loads(line), text=line)
        except json.JSONDecodeError as exc:
            yield JsonLine(lineno, at, error=f"malformed JSON ({exc.msg} at column {exc.colno})", text=line)
        except RecursionError:
            yield JsonLine(lineno, at, error="malformed JSON (nested too deeply to read)", text=line)


def read_jsonl(path: Path) -> Iterator[JsonLine]:
    """Every non-blank line of the file ``path`` (see :func:`parse_jsonl`); ``where`` is ``<path>:<line>``."""
    return parse_jsonl(Path(path).read_bytes(), where=str(path))


def read_jsonl_rows(data: bytes | str, *, where: str, error: type[FaZhiError] = FormatError) -> list[object]:
    """The parsed rows of ``data``; the first bad line raises ``error`` naming the file and line."""
    rows = []
    for line in parse_jsonl(data, where=where):
        if line.error is not None:
            raise error(f"{line.where}: {line.error}")
        rows.append(line.row)
    return rows


def jsonl_line(row: object, *, sort_keys: bool = False) -> str:
    """One row as it is written: compact JSON, non-ASCII kept, no newline."""
    return json.dumps(row, ensure_ascii=False, sort_keys=sort_keys)


def write_jsonl(rows: Iterable[object], *, sort_keys: bool = False) -> str:
    """Rows as JSON Lines text, one per line, each line ending with ``\\n`` (empty text for no rows)."""
    return "".join(jsonl_line(row, sort_keys=sort_keys) + "\n" for row in rows)
