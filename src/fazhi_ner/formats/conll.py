"""The one CoNLL reader and writer: one character and its IOB2 tag per line, blank lines between sentences.

Used by the dataset export (``fazhi dataset export --format conll``, read back in round-trip tests),
by ``fazhi tag --format conll`` and by the evaluation harness (CoNLL prediction files), so all use one dialect:
``-DOCSTART-`` lines start a document; a ``# id = <sentence id>`` line before a sentence names it;
other ``#`` lines before a sentence are comments (``#`` followed by a tab/space and a tag is the
character ``#``); a line is ``<char><tab or space><tag>`` and the character may itself be a space.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fazhi_ner.errors import FaZhiError, FormatError
from fazhi_ner.labels import OUTSIDE, TAG_TO_ID
from fazhi_ner.spans import Span, tags_to_spans

DOCSTART = "-DOCSTART-"


@dataclass(frozen=True)
class ConllToken:
    line: int
    char: str
    tag: str


@dataclass(frozen=True)
class ConllBlock:
    """One sentence: its first line, the document it is in (-1 before any ``-DOCSTART-``), its id comment."""

    line: int
    doc: int
    id: str | None
    tokens: tuple[ConllToken, ...]


@dataclass(frozen=True)
class ConllFile:
    blocks: tuple[ConllBlock, ...]
    documents: int  # number of -DOCSTART- lines


def _is_comment(line: str) -> bool:
    return line.startswith("#") and not (len(line) > 1 and line[1] in " \t" and line[2:].strip() in TAG_TO_ID)


def parse_conll(text: str) -> ConllFile:
    """Split CoNLL text into sentence blocks; checks nothing about tags or characters (callers do)."""
    blocks: list[ConllBlock] = []
    tokens: list[ConllToken] = []
    pending_id: str | None = None
    start_line = 0
    doc = -1

    def close() -> None:
        nonlocal tokens, pending_id
        if tokens:
            blocks.append(ConllBlock(start_line, doc, pending_id, tuple(tokens)))
            tokens, pending_id = [], None

    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            close()
            continue
        if line.startswith(DOCSTART):
            close()
            doc += 1
            continue
        if not tokens and _is_comment(line):
            body = line[1:].strip()
            if "=" in body and body.split("=", 1)[0].strip() == "id":
                close()
                pending_id = body.split("=", 1)[1].strip()
                start_line = lineno
            continue
        tag = line.split()[-1]
        char = line[: len(line) - len(tag)]
        if char[-1:] in ("\t", " "):
            char = char[:-1]
        if not tokens and pending_id is None:
            start_line = lineno
        tokens.append(ConllToken(lineno, char, tag))
    close()
    return ConllFile(tuple(blocks), doc + 1)


def read_conll(
    text: str, *, where: str = "conll", error: type[FaZhiError] = FormatError
) -> list[list[tuple[str, list[Span]]]]:
    """Documents, each a list of ``(sentence text, spans)``: the reader :func:`write_conll` round-trips with.

    Every token must be one character, every sentence inside a ``-DOCSTART-`` document; ``error`` names
    ``where`` and the line otherwise (tags are checked by :func:`fazhi_ner.spans.tags_to_spans`).
    """
    parsed = parse_conll(text)
    docs: list[list[tuple[str, list[Span]]]] = [[] for _ in range(parsed.documents)]
    for block in parsed.blocks:
        if block.doc < 0:
            raise error(f"{where}:{block.line}: sentence before the first {DOCSTART}")
        for token in block.tokens:
            if len(token.char) != 1:
                raise error(
                    f"{where}:{token.line}: expected one character, a tab and a tag; found {token.char!r} {token.tag!r}"
                )
        sentence = "".join(t.char for t in block.tokens)
        docs[block.doc].append((sentence, tags_to_spans([t.tag for t in block.tokens], text=sentence)))
    return docs


def docstart() -> str:
    """The lines that start a document: ``-DOCSTART-`` and a blank line."""
    return f"{DOCSTART}\t{OUTSIDE}\n\n"


def conll_sentence(text: str, tags: Sequence[str], *, skip: Iterable[str] = ()) -> str:
    """One sentence: a ``<char><TAB><tag>`` line per character (those in ``skip`` left out), then a blank line."""
    skipped = frozenset(skip)
    return "".join(f"{char}\t{tag}\n" for char, tag in zip(text, tags, strict=True) if char not in skipped) + "\n"


def write_conll(documents: Iterable[Sequence[tuple[str, Sequence[str]]]]) -> str:
    """Documents of (sentence text, tags) as CoNLL: ``-DOCSTART-`` per document, one char and tag per line."""
    return "".join(
        docstart() + "".join(conll_sentence(text, tags) for text, tags in sentences) for sentences in documents
    )
