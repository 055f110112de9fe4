"""Helpers for the baselines tests (no tests here): a tiny hand-made gold written to a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

from fazhi_ner.gold import write_gold
from fazhi_ner.seeds import load_documents
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

PATTERNS = (
    ("INITIATIVE", re.compile(r"《[^《》]{2,30}》")),
    ("INDICATOR", re.compile(r"[\u4e00-\u9fff]{2}\d+(?:次|件|人|个|家)")),
    ("AGENCY", re.compile(r"(?:县|区)(?:委|政府|司法局|人民法院)")),
)


def write_tiny_gold(directory: Path, doc_ids: set[str] | None = None) -> Path:
    """Deterministic toy gold (NOT the human gold): a few regular patterns per sentence, no overlaps."""
    directory.mkdir(parents=True, exist_ok=True)
    for doc in load_documents():
        if doc_ids is not None and doc.doc_id not in doc_ids:
            continue
        spans: list[Span] = []
        for sentence in document_sentences(doc):
            taken = [False] * len(sentence.text)
            for label, pattern in PATTERNS:
                for m in pattern.finditer(sentence.text):
                    if not any(taken[m.start() : m.end()]):
                        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                        spans.append(Span(sentence.start + m.start(), sentence.start + m.end(), label))
        write_gold(doc, spans, directory)
    return directory
