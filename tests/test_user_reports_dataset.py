"""An ingested, annotated report reaches the dataset as an extra TRAIN document; the test split never changes.

The test writes its own small report, ingests it into a temporary user corpus, annotates it in a Label Studio
export (the shape `fazhi annotate pull` writes), then runs the real convert and build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from fazhi_ner import paths
from fazhi_ner.annotation.tasks import result_items, task_data
from fazhi_ner.cli import main
from fazhi_ner.corpus import fingerprint, load_examples
from fazhi_ner.seeds import documents_by_id
from fazhi_ner.spans import Span
from fazhi_ner.splits import fold_of, split_of

REPORT = (
    "当前位置: 首页\n> 政务公开 > 计划总结\n\n"
    "测试县2024年法治政府建设年度报告\n"
    "2024年,县司法局组织开展会前学法21次。\n"
    "县政府常务会议审议通过《测试县法治政府建设实施方案》。\n\n"
    "信息来源: 测试县\n"
)
DOC_ID = "user-test-2024"


@pytest.fixture()
def user_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user_reports"
    monkeypatch.setattr(paths, "user_reports_dir", lambda: folder)
    return folder


def _span(text: str, needle: str, label: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), label, needle)


def test_ingested_annotated_report_is_train_and_test_is_unchanged(tmp_path: Path, user_reports: Path):
    test_before = fingerprint(load_examples("test"))
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["ingest", str(report), "--unit", "测试县", "--year", "2024", "--doc-id", DOC_ID]) == 0
    doc = documents_by_id()[DOC_ID]
    assert (split_of(DOC_ID), fold_of(DOC_ID)) == ("train", -1)
    spans = [_span(doc.text, "县司法局", "AGENCY"), _span(doc.text, "开展会前学法21次", "INDICATOR"),
             _span(doc.text, "县政府常务会议", "AGENCY"), _span(doc.text, "《测试县法治政府建设实施方案》", "INITIATIVE")]  # fmt: skip
    export = json.loads((paths.exports_dir() / "gold.json").read_text(encoding="utf-8"))
    template = export[0]
    annotation = {**template["annotations"][0], "id": 9999, "task": 9999, "result": result_items(doc, spans)}
    annotation.pop("prediction", None)
    export.append({**template, "id": 9999, "data": task_data(doc), "annotations": [annotation], "predictions": []})
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")

    gold = tmp_path / "gold"
    assert main(["annotate", "convert", str(export_path), "--out", str(gold)]) == 0
    assert (gold / f"{DOC_ID}.jsonl").is_file()
    train = load_examples("train", gold_directory=gold)
    assert any(e.sentence.doc_id == DOC_ID and e.spans for e in train)
    assert fingerprint(load_examples("test", gold_directory=gold)) == test_before
    for fold in range(5):  # never held out: on the training side of every fold
        assert all(e.sentence.doc_id != DOC_ID for e in load_examples(fold=fold, gold_directory=gold))

    from fazhi_ner.dataset.build import build

    out = tmp_path / "dataset"
    build(gold_directory=gold, out_dir=out, card_path=tmp_path / "CARD.md")
    rows = pq.read_table(out / "data" / "sentences" / "train.parquet").to_pylist()
    mine = [r for r in rows if r["doc_id"] == DOC_ID]
    assert mine and {s["text"] for r in mine for s in r["spans"]} == {s.text for s in spans}
    committed = paths.dataset_dir() / "data" / "sentences" / "test.parquet"
    assert (out / "data" / "sentences" / "test.parquet").read_bytes() == committed.read_bytes()


def test_ingesting_a_seed_report_is_refused(tmp_path: Path, user_reports: Path, capsys: pytest.CaptureFixture[str]):
    seed = paths.seeds_dir() / documents_by_id()["gaotai-2022"].file
    assert main(["ingest", str(seed), "--unit", "高台县", "--year", "2022"]) == 2
    assert "seed report gaotai-2022" in capsys.readouterr().err
    assert not user_reports.exists()
