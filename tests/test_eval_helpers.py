"""Shared builders for the evaluation tests (no tests here; not a conftest)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from fazhi_ner.corpus import Example
from fazhi_ner.sentences import Sentence
from fazhi_ner.spans import Span


def example(sid: str, text: str, spans: list[tuple[int, int, str]], doc: str = "doc-a", index: int = 0) -> Example:
    return Example(
        Sentence(sid, doc, index, 0, len(text), text), tuple(Span(a, b, lab, text[a:b]) for a, b, lab in spans)
    )


def toy_examples() -> list[Example]:
    return [
        example("doc-a-0000", "县司法局开展会前学法21次。", [(0, 4, "AGENCY"), (6, 13, "INDICATOR")], "doc-a", 0),
        example("doc-a-0001", "推进最多跑一次改革。", [(2, 9, "INITIATIVE")], "doc-a", 1),
        example("doc-b-0000", "没有实体的句子。", [], "doc-b", 0),
        example("doc-b-0001", "县政府常务会议审议合格率99.3%。", [(0, 7, "AGENCY"), (9, 17, "INDICATOR")], "doc-b", 1),
    ]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def spans_rows(predictions: dict[str, list[Span]]) -> list[dict]:
    return [
        {"id": k, "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in v]}
        for k, v in predictions.items()
    ]


def provisional_gold(directory: Path, seed: int = 0, rate: float = 0.5) -> Path:
    """Random spans over the real seed sentences, written with the real gold writer (never annotation/gold)."""
    from fazhi_ner.gold import write_gold
    from fazhi_ner.seeds import load_documents
    from fazhi_ner.sentences import document_sentences

    rng = random.Random(seed)
    for doc in load_documents():
        spans = []
        for s in document_sentences(doc):
            if len(s.text) > 10 and rng.random() < rate:
                a = rng.randrange(0, len(s.text) - 6)
                spans.append(
                    Span(
                        s.start + a, s.start + a + rng.randint(2, 6), rng.choice(["AGENCY", "INITIATIVE", "INDICATOR"])
                    )
                )
        write_gold(doc, spans, directory)
    return directory


def noisy(examples: list[Example], seed: int = 1) -> dict[str, list[Span]]:
    """Gold with some spans dropped, stretched or relabelled: a plausible system output."""
    rng = random.Random(seed)
    out: dict[str, list[Span]] = {}
    for ex in examples:
        spans = []
        for s in ex.spans:
            r = rng.random()
            if r < 0.6:
                spans.append(s)
            elif r < 0.75:
                spans.append(Span(s.start, min(s.end + 1, len(ex.text)), s.label))
            elif r < 0.85:
                spans.append(Span(s.start, s.end, "AGENCY" if s.label != "AGENCY" else "INDICATOR"))
        out[ex.id] = spans
    return out
