"""Reading a user's report: encoding detection (UTF-8, else GB18030), sanity checks, bounded-memory chunks.

Why two passes: the first pass checks the whole input (decodes, has Chinese, no NUL bytes) without keeping
it, so a bad file fails with one line before any output is written; the second pass yields chunks that
end on a line break (every line break ends a sentence), so sentence offsets are the same as splitting the
whole text at once while memory stays bounded by the chunk size.
"""

from __future__ import annotations

import codecs
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.tagging.errors import InputError

CHUNK_BYTES = 1 << 20  # 1 MiB read size
MAX_PENDING_CHARS = 1 << 20  # a line longer than this is cut after a sentence terminator
SNIFF_BYTES = 1 << 16
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TERMINATORS = "。！？；!?;"


@dataclass(frozen=True)
class SourceInfo:
    """What the check pass learned about one input."""

    path: Path
    name: str  # as given on the command line ("-" for stdin)
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    size: int  # bytes
    chars: int


def _sniff_encoding(head: bytes, name: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: UTF-16 text (byte-order mark at byte 0); expected UTF-8 or GB18030")
    if b"\x00" in head:
        raise InputError(f"{name}: binary file (NUL byte at byte {head.index(0)}); expected UTF-8 or GB18030 text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        raise InputError(
            f"{name}: neither UTF-8 (invalid byte at {utf8_error}) nor GB18030; expected Chinese text in one of them"
        ) from None
    return "gb18030"


def check_source(path: Path, name: str | None = None) -> SourceInfo:
    """Decode the whole file once (streaming) and check it is non-empty Chinese text; raise InputError if not."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a text file") from None
    with handle:
        head = handle.read(SNIFF_BYTES)
        if not head.strip():
            raise InputError(f"{name}: empty file (no text to tag)")
        encoding = _sniff_encoding(head, name)
        decoder = codecs.getincrementaldecoder(encoding)()
        handle.seek(0)
        offset = chars = 0
        chinese = False
        while True:
            block = handle.read(CHUNK_BYTES)
            final = not block
            if b"\x00" in block:
                raise InputError(f"{name}: binary file (NUL byte at byte {offset + block.index(0)})")
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: invalid {encoding} at byte {offset + exc.start}; expected UTF-8 or GB18030 text"
                ) from None
            chars += len(text)
            chinese = chinese or bool(_CJK.search(text))
            offset += len(block)
            if final:
                break
    if not chinese:
        raise InputError(f"{name}: no Chinese characters found; expected a Chinese report")
    return SourceInfo(path, name, encoding, size, chars)


def _cut(pending: str) -> int:
    """Where to cut the pending text so that the part before is whole sentences (0: keep waiting)."""
    cut = max(pending.rfind("\n"), pending.rfind("\r")) + 1
    if cut == 0 and len(pending) > MAX_PENDING_CHARS:
        cut = max(pending.rfind(t) for t in _TERMINATORS) + 1
        if cut == 0:
            cut = len(pending)
    return cut


def iter_chunks(source: SourceInfo, on_bytes: Callable[[int], None] | None = None) -> Iterator[tuple[int, str]]:
    """``(char offset, text)`` chunks of the checked source, each ending on a sentence boundary."""
    decoder = codecs.getincrementaldecoder(source.encoding)()
    pending = ""
    base = 0
    with source.path.open("rb") as handle:
        while True:
            block = handle.read(CHUNK_BYTES)
            pending += decoder.decode(block, final=not block)
            if on_bytes is not None:
                on_bytes(len(block))
            if not block:
                break
            cut = _cut(pending)
            if cut:
                yield base, pending[:cut]
                base += cut
                pending = pending[cut:]
    if pending:
        yield base, pending


def read_text(source: SourceInfo) -> str:
    """The whole decoded text (for ingest, where the report is stored and offsets point into it)."""
    return "".join(chunk for _, chunk in iter_chunks(source))


@contextmanager
def materialise(name: str) -> Iterator[Path]:
    """A path for ``name``: the file itself, or stdin (``-``) spooled to a temporary file in bounded memory."""
    if name != "-":
        yield Path(name)
        return
    with tempfile.NamedTemporaryFile(prefix="fazhi-stdin-", suffix=".txt") as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool, CHUNK_BYTES)
        spool.flush()
        yield Path(spool.name)
