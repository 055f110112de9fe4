"""Shared helpers for the reliability tests (no tests here; imported by the test_reliability_* modules).

The seed material is the committed Label Studio export ``annotation/exports/pass1.json`` (read,
never modified) and a variant of one report with characters outside the BMP, for UTF-16 offsets.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from fazhi_ner.annotation.convert import convert_export
from fazhi_ner.annotation.tasks import build_task, result_items
from fazhi_ner.corpus import Example
from fazhi_ner.paths import exports_dir
from fazhi_ner.seeds import Document, documents_by_id
from fazhi_ner.sentences import Sentence, document_sentences
from fazhi_ner.spans import Span

EXPORT = exports_dir() / "pass1.json"
ASTRAL = ("𠮷", "😀", "𝐀")  # U+20BB7, U+1F600, U+1D400: two UTF-16 code units each
VARIANT_OF = "gaotai-2022"


@cache
def export_text() -> str:
    return EXPORT.read_text(encoding="utf-8")


def export_tasks() -> list[dict[str, Any]]:
    """A fresh (mutable) copy of the real export's tasks."""
    return json.loads(export_text())


@cache
def export_spans() -> dict[str, tuple[Span, ...]]:
    converted = convert_export(export_tasks(), source=str(EXPORT), documents=documents_by_id())
    return {doc_id: tuple(spans) for doc_id, spans in converted.spans.items()}


def with_astral(doc: Document, spans: list[Span], every: int = 7) -> tuple[Document, list[Span]]:
    """``doc`` with an astral character inserted at the start of every ``every``-th sentence; spans moved."""
    points = [s.start for s in document_sentences(doc)][1::every]
    text, pieces, last = doc.text, [], 0
    moves: list[tuple[int, int]] = []  # (original position, cumulative shift from there on)
    for k, p in enumerate(points):
        pieces += [text[last:p], ASTRAL[k % len(ASTRAL)]]
        last = p
        moves.append((p, k + 1))

    def moved(x: int, end: bool = False) -> int:
        return x + sum(1 for p, _ in moves if (p < x if end else p <= x))

    pieces.append(text[last:])
    new_text = "".join(pieces)
    variant = replace(
        doc,
        doc_id=f"{doc.doc_id}-astral",
        text=new_text,
        sha256="astral-variant",
        body_start=moved(doc.body_start),
        body_end=moved(doc.body_end, end=True),
        excluded=tuple((moved(a), moved(b, end=True)) for a, b in doc.excluded),
    )
    new_spans = [Span(moved(s.start), moved(s.end, end=True), s.label, s.text) for s in spans]
    assert all(new_text[s.start : s.end] == s.text for s in new_spans)
    return variant, new_spans


@cache
def astral_variant() -> tuple[Document, tuple[Span, ...]]:
    doc = documents_by_id()[VARIANT_OF]
    variant, spans = with_astral(doc, list(export_spans()[VARIANT_OF]))
    return variant, tuple(spans)


def utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def annotated_task(doc: Document, spans: list[Span] | tuple[Span, ...], ident: int = 900) -> dict[str, Any]:
    """A task as Label Studio exports it: ``build_task`` data plus one submitted annotation."""
    task = build_task(doc)
    task["id"] = ident
    task["annotations"] = [
        {
            "id": ident,
            "result": result_items(doc, spans),
            "was_cancelled": False,
            "ground_truth": False,
            "updated_at": "2026-01-01T00:00:00Z",
        }
    ]
    return task


def astral_examples(examples: list[Example]) -> list[Example]:
    """Examples whose sentences start with an astral character (spans moved by one)."""
    out = []
    for k, ex in enumerate(examples):
        s = ex.sentence
        char = ASTRAL[k % len(ASTRAL)]
        sentence = Sentence(s.id, s.doc_id, s.index, s.start, s.end + 1, char + s.text)
        out.append(Example(sentence, tuple(Span(x.start + 1, x.end + 1, x.label, x.text) for x in ex.spans)))
    return out


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
