"""PROVISIONAL gold for developing and testing the dataset builder before the human gold exists.

It comes from the rule pre-annotator when that module is installed, else from a few fixed
patterns. It is never written into ``annotation/gold`` (the real gold) and never published.
"""

from __future__ import annotations

import re
from pathlib import Path

from fazhi_ner.errors import DatasetError
from fazhi_ner.gold import write_gold
from fazhi_ner.paths import gold_dir
from fazhi_ner.seeds import Document, load_documents
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("INITIATIVE", re.compile(r"《[^《》\s]{2,40}》")),
    ("INITIATIVE", re.compile(r"“[^“”\s]{2,16}”(?:改革|平台|机制|行动|工程)?")),
    ("INDICATOR", re.compile(r"[\u4e00-\u9fff]{2,5}\d+(?:\.\d+)?(?:%|[次件个人家场卷份条项名])")),
    ("AGENCY", re.compile(r"(?:县|区)(?:司法局|人民法院|人民检察院|政府常务会议|委|政府)|党工委|管委会")),
)


def pattern_spans(doc: Document) -> list[Span]:
    """Non-overlapping pattern matches inside each sentence (earliest, then longest, wins)."""
    chosen: list[Span] = []
    for sentence in document_sentences(doc):
        found = []
        for label, pattern in _PATTERNS:
            for match in pattern.finditer(sentence.text):
                found.append((match.start(), -(match.end() - match.start()), label, match.end()))
        found.sort()
        last_end = 0
        for start, _neg, label, end in found:
            if start >= last_end:
                a, b = sentence.start + start, sentence.start + end
                chosen.append(Span(a, b, label, doc.text[a:b]))
                last_end = end
    return chosen


def provisional_spans(doc: Document) -> list[Span]:
    """The rule pre-annotator's spans when available, else :func:`pattern_spans`."""
    try:
        from fazhi_ner.rules import annotate_document  # type: ignore[attr-defined]
    except ImportError:
        return pattern_spans(doc)
    return list(annotate_document(doc))


def write_provisional_gold(directory: Path, doc_ids: list[str] | None = None, *, rules: bool = True) -> list[Path]:
    """Write provisional gold files into ``directory``; refuses the real gold folder."""
    directory = Path(directory)
    if directory.resolve() == gold_dir().resolve():
        raise DatasetError(f"{directory}: refusing to write provisional gold into the real gold folder")
    paths = []
    for doc in load_documents():
        if doc_ids is not None and doc.doc_id not in doc_ids:
            continue
        spans = provisional_spans(doc) if rules else pattern_spans(doc)
        paths.append(write_gold(doc, spans, directory))
    return paths
