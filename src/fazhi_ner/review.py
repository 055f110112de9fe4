"""The review file: a readable inline-markup view of a document's spans, edited by annotators.

Format (UTF-8 text), one sentence per line, in document order::

    # doc_id: gaotai-2022
    gaotai-2022-0012<TAB>县政府党组会议、常务会议带头落实学法制度,【开展会前学法21次|INDICATOR】。

A span is written ``【covered text|LABEL】``. Removing the markup from a line must give back the
sentence text exactly; ``parse_review`` checks this and reports the line and the first differing
offset otherwise. Lines starting with ``#`` are comments; blank lines are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from fazhi_ner.errors import AnnotationError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import Sentence, document_sentences
from fazhi_ner.spans import Span, validate_spans

OPEN, SEP, CLOSE = "【", "|", "】"
_MARK = re.compile(r"【([^【】|]+)\|([A-Z]+)】")


def render_sentence(text: str, spans: Iterable[Span]) -> str:
    """Inline markup for one sentence; ``spans`` are in sentence coordinates and non-overlapping."""
    out: list[str] = []
    cursor = 0
    for span in sorted(spans):
        out.append(text[cursor : span.start])
        out.append(f"{OPEN}{text[span.start : span.end]}{SEP}{span.label}{CLOSE}")
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def render_document(doc: Document, doc_spans: Sequence[Span]) -> str:
    """The review file text for a document and its spans (document coordinates)."""
    lines = [f"# doc_id: {doc.doc_id}", "# one sentence per line: <sentence id><TAB><text with 【span|LABEL】 markup>"]
    spans = sorted(doc_spans)
    for sentence in document_sentences(doc):
        inside = [s.shifted(-sentence.start) for s in spans if s.start >= sentence.start and s.end <= sentence.end]
        lines.append(f"{sentence.id}\t{render_sentence(sentence.text, inside)}")
    return "\n".join(lines) + "\n"


def parse_markup(marked: str, *, where: str) -> tuple[str, list[Span]]:
    """The plain text and spans of inline ``【text|LABEL】`` markup: the one reader of the markup.

    Stray markup characters are errors, so a typo cannot silently become text.
    """
    spans: list[Span] = []
    plain: list[str] = []
    cursor = 0
    length = 0
    for match in _MARK.finditer(marked):
        plain.append(marked[cursor : match.start()])
        length += match.start() - cursor
        covered, label = match.group(1), match.group(2)
        if label not in LABEL_NAMES:
            raise AnnotationError(
                f"{where}: unknown label {label!r} in {match.group(0)!r}; expected one of {', '.join(LABEL_NAMES)}"
            )
        spans.append(Span(length, length + len(covered), label, covered))
        plain.append(covered)
        length += len(covered)
        cursor = match.end()
    plain.append(marked[cursor:])
    return "".join(plain), spans


def parse_line(marked: str, expected: str, *, where: str) -> list[Span]:
    """Spans of one marked-up line (sentence coordinates), checked against the expected sentence text."""
    text, spans = parse_markup(marked, where=where)
    for char in (OPEN, CLOSE):
        if char in text and char not in expected:
            pos = text.index(char)
            raise AnnotationError(
                f"{where}: stray or malformed markup {char!r} at offset {pos} (expected 【text|LABEL】)"
            )
    if text != expected:
        pos = next(
            (i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b), min(len(text), len(expected))
        )
        raise AnnotationError(
            f"{where}: text without markup differs from the sentence at offset {pos}: "
            f"expected {expected[pos : pos + 12]!r}, found {text[pos : pos + 12]!r}"
        )
    return validate_spans(spans, expected, where=where)


def parse_review(path: Path, doc: Document) -> list[Span]:
    """Document-coordinate spans from a review file; every sentence of the document must appear once."""
    sentences: Mapping[str, Sentence] = {s.id: s for s in document_sentences(doc)}
    seen: set[str] = set()
    spans: list[Span] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        where = f"{path}:{lineno}"
        if "\t" not in raw:
            raise AnnotationError(f"{where}: expected '<sentence id><TAB><text>', found no tab")
        sid, marked = raw.split("\t", 1)
        if sid not in sentences:
            raise AnnotationError(f"{where}: unknown sentence id {sid!r} for document {doc.doc_id}")
        if sid in seen:
            raise AnnotationError(f"{where}: sentence {sid} appears twice")
        seen.add(sid)
        sentence = sentences[sid]
        spans.extend(s.shifted(sentence.start) for s in parse_line(marked, sentence.text, where=where))
    missing = [sid for sid in sentences if sid not in seen]
    if missing:
        raise AnnotationError(f"{path}: {len(missing)} sentences missing, first {missing[0]}")
    return sorted(spans)


def review_doc_id(path: Path) -> str:
    """The document a review file belongs to: its `# doc_id:` header, else its first sentence id."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise AnnotationError(f"{path}: review file not found") from None
    for line in lines:
        header = re.match(r"#\s*doc_id:\s*(\S+)", line)
        if header:
            return header.group(1)
    for line in lines:
        sid = re.match(r"(\S+)-\d{4}\t", line)
        if sid:
            return sid.group(1)
    raise AnnotationError(f"{path}: no '# doc_id:' header and no '<doc_id>-NNNN<TAB>' sentence line")
