"""Deterministic sentence splitting by offsets; the text itself is never changed.

A sentence ends after 。！？；!?; (plus any closing quotes or brackets right after it) or at a
newline. Whitespace at the edges of a piece is left out as a gap, and whitespace-only pieces are
skipped, so the pieces in order, with the gaps between them, rebuild the text exactly. Headings
sit on their own line in these reports, so the newline rule keeps them as their own sentences.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fazhi_ner.seeds import Document

TERMINATORS = frozenset("。！？；!?;")
CLOSERS = frozenset("”’」』)）》】\"'")
NEWLINES = frozenset("\n\r\u2028\u2029")


def _is_space(char: str) -> bool:
    return char.isspace() or char == "\u3000"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    return start, end


def split_offsets(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets into ``text`` within ``[start, end)``."""
    end = len(text) if end is None else end
    pieces: list[tuple[int, int]] = []
    piece_start = start
    i = start
    while i < end:
        char = text[i]
        cut: int | None = None
        if char in NEWLINES:
            cut = i + 1
        elif char in TERMINATORS:
            cut = i + 1
            while cut < end and text[cut] in CLOSERS:
                cut += 1
        if cut is not None:
            a, b = _trim(text, piece_start, cut)
            if a < b:
                pieces.append((a, b))
            piece_start = i = cut
        else:
            i += 1
    a, b = _trim(text, piece_start, end)
    if a < b:
        pieces.append((a, b))
    return pieces


def included_ranges(doc: Document) -> Iterator[tuple[int, int]]:
    """The body minus its excluded (boilerplate) ranges."""
    cursor = doc.body_start
    for a, b in doc.excluded:
        if b <= cursor or a >= doc.body_end:
            continue
        if a > cursor:
            yield cursor, a
        cursor = max(cursor, b)
    if cursor < doc.body_end:
        yield cursor, doc.body_end


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: its id, position and exact text."""

    id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str


def sentence_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-{index:04d}"


def document_sentences(doc: Document) -> list[Sentence]:
    """The sentences of a document's body, numbered from 0 in text order."""
    sentences: list[Sentence] = []
    for a, b in included_ranges(doc):
        for start, end in split_offsets(doc.text, a, b):
            index = len(sentences)
            sentences.append(
                Sentence(sentence_id(doc.doc_id, index), doc.doc_id, index, start, end, doc.text[start:end])
            )
    return sentences
