"""The committed corpus hangs together: Label Studio exports -> converter -> gold, review files, agreement, stats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi_ner.annotation.convert import convert_export, gold_files
from fazhi_ner.cli import main
from fazhi_ner.formats.labelstudio import read_tasks
from fazhi_ner.formats.review import parse_review
from fazhi_ner.gold import load_gold
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.seeds import documents_by_id

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "annotation" / "exports"
DOC_IDS = sorted(documents_by_id())


def _convert(name: str) -> dict:
    return convert_export(read_tasks(EXPORTS / name), source=name, documents=documents_by_id()).spans


def test_gold_export_converts_to_exactly_the_committed_gold_for_every_report() -> None:
    converted = convert_export(read_tasks(EXPORTS / "gold.json"), source="gold.json", documents=documents_by_id())
    assert sorted(converted.spans) == DOC_IDS
    for name, content in gold_files(converted, documents_by_id()).items():
        assert (ROOT / "annotation" / "gold" / name).read_text(encoding="utf-8") == content, name
    assert sorted(p.name for p in (ROOT / "annotation" / "gold").glob("*.jsonl")) == sorted(gold_files(converted, documents_by_id()))


def test_convert_all_check_passes() -> None:
    assert main(["annotate", "convert-all", "--check"]) == 0


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_adjudicated_review_file_is_what_was_applied(doc_id: str) -> None:
    doc = documents_by_id()[doc_id]
    assert parse_review(ROOT / "annotation" / "review" / "gold" / f"{doc_id}.txt", doc) == load_gold()[doc_id]


@pytest.mark.parametrize(("export", "folder"), [("pass1.json", "pass1"), ("pass2.json", "pass2")])
def test_pass_exports_match_their_review_files(export: str, folder: str) -> None:
    spans = _convert(export)
    assert spans
    for doc_id, doc_spans in spans.items():
        review = ROOT / "annotation" / "review" / folder / f"{doc_id}.txt"
        assert parse_review(review, documents_by_id()[doc_id]) == doc_spans, doc_id


def test_second_pass_covers_two_reports_of_at_least_8000_characters() -> None:
    spans = _convert("pass2.json")
    docs = documents_by_id()
    assert len(spans) >= 2
    assert sum(docs[d].body_end - docs[d].body_start for d in spans) >= 8000


def test_every_label_is_present_in_every_report() -> None:
    gold = load_gold()
    for doc_id in DOC_IDS:
        labels = {s.label for s in gold[doc_id]}
        assert labels == set(LABEL_NAMES), doc_id


def test_committed_agreement_and_stats_are_regenerated_exactly(tmp_path: Path) -> None:
    assert main(["annotate", "agreement", "--out", str(tmp_path)]) == 0
    for name in ("agreement.json", "agreement.md"):
        committed = (ROOT / "annotation" / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, name
    assert main(["annotate", "stats", "--out", str(tmp_path)]) == 0
    for name in ("stats.json", "stats.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / "annotation" / name).read_text(
            encoding="utf-8"
        ), name
    agreement = json.loads((ROOT / "annotation" / "agreement.json").read_text(encoding="utf-8"))
    assert agreement["docs"] == ["gaotai-2022", "xianju-2023"]


def test_stats_check_fails_on_a_stale_file_and_writes_nothing(tmp_path: Path) -> None:
    assert main(["annotate", "stats", "--out", str(tmp_path)]) == 0
    assert main(["annotate", "stats", "--check", "--out", str(tmp_path)]) == 0
    stale = tmp_path / "stats.md"
    stale.write_text(stale.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["annotate", "stats", "--check", "--out", str(tmp_path)]) == 1
    assert stale.read_text(encoding="utf-8").endswith("edited\n")
