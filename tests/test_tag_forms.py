"""Issue 19: reports in other forms (full-width, hard-wrapped) are tagged with offsets into the user's file;
ingest refuses a report already in the corpus in another form; ingested reports pending annotation; `tag` defects."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import fazhi_ner
from fazhi_ner import paths
from fazhi_ner.cli import main
from fazhi_ner.seeds import load_documents
from fazhi_ner.tagging.errors import IngestError
from fazhi_ner.tagging.ingest import ingest
from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL
from fazhi_ner.textform import chars_form

REPORT = (
    "测试县2024年法治政府建设年度报告\n"
    "2024年,县司法局组织开展“法律进乡村”活动,开展会前学法21次,行政复议纠错率下降3.5%。\n"
    "县政府常务会议审议通过《测试县法治政府建设实施方案》。\n"
)


def _key(spans) -> list[tuple[str, str]]:  # noqa: ANN001
    return sorted((s.label, "".join(chars_form(s.text).split())) for s in spans)


def _wrap(text: str, width: int) -> str:
    return "\n".join("\n".join(line[i : i + width] for i in range(0, len(line), width)) for line in text.split("\n"))


def test_tag_reads_full_width_and_wrapped_text_and_reports_offsets_into_it():
    plain = fazhi_ner.tag(REPORT, model="rules")
    assert plain
    for other in (REPORT.replace(",", "，").replace("%", "％"), _wrap(REPORT, 13).replace("\n", "\r\n")):
        spans = fazhi_ner.tag(other, model="rules")
        assert all(other[s.start : s.end] == s.text for s in spans)
        assert _key(spans) == _key(plain)


def test_tag_jsonl_sentences_and_spans_point_into_the_wrapped_file(tmp_path: Path):
    path = tmp_path / "r.txt"
    wrapped = _wrap(REPORT.replace(",", "，"), 13)
    path.write_text(wrapped, encoding="utf-8", newline="")
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(path), "--model", "rules", "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3  # the wrapped lines are joined: one sentence per sentence, not per line
    for row in rows:
        assert wrapped[row["doc_start"] : row["doc_start"] + len(row["text"])] == row["text"]
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
    conll = tmp_path / "out.conll"
    assert main(["tag", str(path), "--model", "rules", "-f", "conll", "-o", str(conll), "-q"]) == 0
    assert all(line.count("\t") == 1 for line in conll.read_text(encoding="utf-8").splitlines() if line)


def test_tag_output_file_follows_the_umask(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    old = os.umask(0o022)
    try:
        assert main(["tag", str(path), "--model", "rules", "-o", str(out), "-q"]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_inputs_with_the_same_basename_get_distinct_sentence_ids(tmp_path: Path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "r.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "review.txt"
    names = [str(tmp_path / "a" / "r.txt"), str(tmp_path / "b" / "r.txt")]
    assert main(["tag", *names, "--model", "rules", "-f", "review", "-o", str(out), "-q"]) == 0
    ids = [line.split("\t", 1)[0] for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(ids) == 6 and len(set(ids)) == 6


def test_tag_help_names_the_default_model(capsys):
    assert main(["tag", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert f"default: {DEFAULT_TAG_MODEL}" in out and "DEFAULT_TAG_MODEL" not in out


def test_ingest_refuses_an_ingested_report_in_another_form(tmp_path: Path):
    corpus = tmp_path / "user_reports"
    first = tmp_path / "first.txt"
    first.write_text(REPORT, encoding="utf-8")
    done = ingest(first, unit="测试县", year=2024, directory=corpus)
    again = tmp_path / "again.txt"
    again.write_text(_wrap(REPORT.replace(",", "，"), 13).replace("\n", "\r\n"), encoding="utf-8", newline="")
    with pytest.raises(IngestError, match=f"already ingested as {done.document.doc_id}"):
        ingest(again, unit="测试县", year=2024, directory=corpus)
    assert main(["ingest", str(again), "--unit", "测试县", "--year", "2024", "--corpus-dir", str(corpus)]) == 2


def test_ingest_refuses_a_seed_in_full_width_form(tmp_path: Path):
    seed = load_documents()[0]
    copy = tmp_path / "copy.txt"
    copy.write_text(seed.text.replace(",", "，").replace("(", "（").replace(")", "）"), encoding="utf-8")
    with pytest.raises(IngestError, match=f"seed report {seed.doc_id}"):
        ingest(copy, unit="测试县", year=2024, directory=tmp_path / "c")


def test_an_ingested_report_without_gold_is_pending_not_an_error(tmp_path: Path, monkeypatch, capsys):
    folder = tmp_path / "user_reports"
    monkeypatch.setattr(paths, "user_reports_dir", lambda: folder)
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["ingest", str(report), "--unit", "测试县", "--year", "2024", "--doc-id", "user-pending-2024"]) == 0
    capsys.readouterr()
    assert main(["dataset", "build", "--check"]) == 0
    out = capsys.readouterr().out
    assert "pending: user-pending-2024" in out and "fazhi annotate push" in out
