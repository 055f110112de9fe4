from __future__ import annotations

from pathlib import Path

from fazhi_ner.seeds import documents_by_id

ROOT = Path(__file__).resolve().parents[1]


def test_every_known_issue_quotes_the_seed_at_its_offset() -> None:
    docs = documents_by_id()
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in (ROOT / "annotation" / "known_issues.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and not line.startswith("| doc_id")
    ]
    assert len(rows) >= 10
    for doc_id, offset, text, *_ in rows:
        doc = docs[doc_id]
        assert doc.text[int(offset) : int(offset) + len(text)] == text, (doc_id, offset, text)
