"""Shared helpers for the dataset tests (no tests here; imported by the test_dataset_* modules).

Tests build from PROVISIONAL gold written into tmp folders from fixed patterns
(fazhi_ner.dataset.provisional), never from or into annotation/gold.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fazhi_ner.dataset.build import build
from fazhi_ner.dataset.provisional import write_provisional_gold
from fazhi_ner.dataset.rows import load_corpus

ALL_DOCS = ["gaotai-2022", "jianghai-2022", "xianju-2023", "heishui-2022", "alashan-hitech-2022"]


def make_gold(directory: Path, doc_ids: list[str] | None = None) -> Path:
    write_provisional_gold(directory, doc_ids, rules=False)
    return directory


def build_into(base: Path, gold: Path, **kwargs):
    """Build ``base/dataset`` and ``base/DATASET_CARD.md`` from ``gold`` with ``base`` as the root."""
    base.mkdir(parents=True, exist_ok=True)
    return build(gold, base / "dataset", base / "DATASET_CARD.md", root=base, **kwargs)


def tree_digest(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def gold_rows(gold: Path) -> list[dict[str, object]]:
    """The expected sentence rows: (id, text, spans) straight from the gold corpus."""
    corpus = load_corpus(gold)
    return [
        {"id": gs.sentence.id, "text": gs.sentence.text, "spans": [(s.start, s.end, s.label, s.text) for s in gs.spans]}
        for gs in corpus.sentences()
    ]


def write_raw_gold(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
