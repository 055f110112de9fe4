"""`fazhi tag` and `fazhi ingest`: formats, encodings, bad input, streaming, boilerplate, user corpus (fast: rules model)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fazhi_ner
from fazhi_ner.cli import main
from fazhi_ner.formats.review import parse_line
from fazhi_ner.seeds import load_documents, load_manifest
from fazhi_ner.sentences import split_offsets
from fazhi_ner.tagging import textio
from fazhi_ner.tagging.boilerplate import detect
from fazhi_ner.tagging.errors import IngestError, InputError, ModelNotReady
from fazhi_ner.tagging.ingest import ingest, load_user_documents
from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL, get_model
from fazhi_ner.tagging.run import tag_files
from fazhi_ner.tagging.tagger import tag_chunks

REPORT = (
    "当前位置: 首页\n> 政务公开 > 计划总结\n索 引 号 331024ZF010000/2025-000001 公开方式 主动公开\n\n"
    "测试县2024年法治政府建设年度报告\n发布日期: 2025-02-01 访问次数:\n\n"
    "2024年,县司法局组织开展“法律进乡村”活动,开展会前学法21次,行政复议纠错率下降3.5%。\n"
    "县政府常务会议审议通过《测试县法治政府建设实施方案》。\n\n"
    "信息来源: 测试县\n\n【打印本页】 【关闭本页】"
)


def _write(tmp_path: Path, text: str, name: str = "report.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_no_model_named_means_the_default_registered_baseline(tmp_path: Path):
    """get_model(None) resolves DEFAULT_TAG_MODEL through the registry: an unknown name would be refused as unknown."""
    with pytest.raises(ModelNotReady, match=f"model '{DEFAULT_TAG_MODEL}' is not trained"):
        get_model(None, models_dir=tmp_path, train=False)
    with pytest.raises(ModelNotReady, match="unknown model 'no-such-model'"):
        get_model("no-such-model", models_dir=tmp_path, train=False)


def test_python_api_returns_document_spans_matching_the_text():
    spans = fazhi_ner.tag(REPORT, model="rules")
    assert spans, "the rules find at least the agency and the indicator"
    assert all(REPORT[s.start : s.end] == s.text for s in spans)
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def test_jsonl_lines_are_sentences_with_doc_start_and_sentence_relative_spans(tmp_path: Path):
    path = _write(tmp_path, REPORT)
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(path), "--model", "rules", "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["doc_start"], r["doc_start"] + len(r["text"])) for r in rows] == split_offsets(REPORT)
    assert any(r["spans"] for r in rows)
    for row in rows:
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
            assert set(span) == {"start", "end", "label", "text", "score"}


def test_every_format_is_consistent_with_the_jsonl(tmp_path: Path):
    path = _write(tmp_path, REPORT)
    outputs = {}
    for fmt in ("jsonl", "conll", "review", "labelstudio"):
        outputs[fmt] = tmp_path / f"out.{fmt}"
        assert main(["tag", str(path), "--model", "rules", "--format", fmt, "-o", str(outputs[fmt]), "-q"]) == 0
    rows = [json.loads(line) for line in outputs["jsonl"].read_text(encoding="utf-8").splitlines()]
    doc_spans = [(r["doc_start"] + s["start"], r["doc_start"] + s["end"], s["label"]) for r in rows for s in r["spans"]]
    tasks = json.loads(outputs["labelstudio"].read_text(encoding="utf-8"))
    assert len(tasks) == 1 and tasks[0]["data"]["text"] == REPORT
    prediction = tasks[0]["predictions"][0]
    assert prediction["model_version"].startswith("rules")
    assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in prediction["result"]] == doc_spans
    review = [line for line in outputs["review"].read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(review) == len(rows)
    for line, row in zip(review, rows, strict=True):
        spans = parse_line(line.split("\t", 1)[1], row["text"], where="review")
        assert [(s.start, s.end, s.label) for s in spans] == [(s["start"], s["end"], s["label"]) for s in row["spans"]]
    conll = outputs["conll"].read_text(encoding="utf-8")
    assert conll.count("B-") == len(doc_spans)


def test_gb18030_is_detected_and_gives_the_same_output(tmp_path: Path):
    utf8 = _write(tmp_path, REPORT, "u.txt")
    gb = _write(tmp_path, REPORT, "g.txt", "gb18030")
    assert textio.check_source(gb).encoding == "gb18030"
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert tag_files([str(utf8)], model="rules", out=a, progress=False).spans > 0
    tag_files([str(gb)], model="rules", out=b, progress=False)
    strip = lambda p: [{k: v for k, v in json.loads(x).items() if k != "doc"} for x in p.read_text().splitlines()]  # noqa: E731
    assert strip(a) == strip(b)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"only latin text, no hanzi at all.\n", "no Chinese"),
        (b"\xff\xfe\x00\x00garbage\xff", "binary|UTF-16|neither"),
        ("中文".encode("utf-16"), "UTF-16"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, capsys, content: bytes, message: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(bad), "--model", "rules", "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err
    assert re.search(message, err)
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_a_bad_second_file_writes_nothing_even_when_the_first_is_fine(tmp_path: Path, capsys):
    good = _write(tmp_path, REPORT)
    bad = _write(tmp_path, "", "empty.txt")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    assert main(["tag", str(good), str(bad), "--model", "rules", "-o", str(out), "-q"]) == 2
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert capsys.readouterr().out == ""


def test_untrained_model_with_no_train_and_unknown_model_exit_2(tmp_path: Path, capsys):
    path = _write(tmp_path, REPORT)
    assert main(["tag", str(path), "--model", "crf", "--no-train", "--models-dir", str(tmp_path / "none"), "-q"]) == 2
    assert "not trained" in capsys.readouterr().err
    assert main(["tag", str(path), "--model", "nosuch", "-q"]) == 2
    assert "unknown model" in capsys.readouterr().err
    with pytest.raises(ModelNotReady):
        get_model("crf", models_dir=tmp_path / "none", train=False)


def test_bad_format_is_exit_2(tmp_path: Path):
    assert main(["tag", str(_write(tmp_path, REPORT)), "--model", "rules", "--format", "xml", "-q"]) == 2


def test_stdin_is_read(tmp_path: Path, monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode("utf-8"))))
    assert main(["tag", "-", "--model", "rules", "-q"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["doc"] == "-" and "".join(r["text"] for r in rows) == "".join(
        REPORT[a:b] for a, b in split_offsets(REPORT)
    )


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="县局。；\n\r 12a“”", max_size=200), st.integers(min_value=1, max_value=16))
def test_chunked_sentences_equal_whole_text_sentences(text: str, chunk_chars: int):
    """Cutting chunks on line breaks never changes sentence offsets (the streaming invariant)."""
    chunks, base, pending = [], 0, ""
    for i in range(0, len(text), chunk_chars):
        pending += text[i : i + chunk_chars]
        cut = textio._cut(pending)
        if cut:
            chunks.append((base, pending[:cut]))
            base += cut
            pending = pending[cut:]
    if pending:
        chunks.append((base, pending))

    from fazhi_ner.baselines.registry import create
    from fazhi_ner.baselines.rules_model import RulesBaseline

    class Nothing(RulesBaseline):
        def predict(self, texts):
            return [[] for _ in texts]

    got = [(s.doc_start, s.doc_start + len(s.text)) for s in tag_chunks(Nothing(create("rules").config), chunks)]
    assert got == split_offsets(text)


def test_large_input_streams_in_chunks(tmp_path: Path, monkeypatch):
    """Chunks stay bounded (by the read size) however large the input is."""
    monkeypatch.setattr(textio, "CHUNK_BYTES", 4096)
    line = "县司法局开展会前学法21次。\n"
    path = _write(tmp_path, line * 5000)  # ~ 200 KB
    source = textio.check_source(path)
    sizes = [len(text) for _, text in textio.iter_chunks(source)]
    assert len(sizes) > 20 and max(sizes) <= 4096
    assert sum(sizes) == source.chars


def test_boilerplate_detector_reproduces_the_curated_seed_ranges():
    rows = {row["doc_id"]: row for row in load_manifest()}
    for doc in load_documents():
        layout = detect(doc.text)
        row = rows[doc.doc_id]
        assert (layout.body_start, layout.body_end) == (row["body_start"], row["body_end"]), doc.doc_id
        assert [list(r) for r in layout.excluded] == row["excluded"], doc.doc_id


def test_ingest_writes_manifest_sentences_and_refuses_a_second_time(tmp_path: Path, capsys):
    path = _write(tmp_path, REPORT, "new.txt", "gb18030")
    corpus = tmp_path / "user_reports"
    args = ["ingest", str(path), "--unit", "测试县", "--year", "2024", "--province", "浙江省", "--corpus-dir", str(corpus)]
    assert main(args) == 0
    (row,) = load_manifest(corpus)
    assert row["unit"] == "测试县" and row["unit_type"] == "county" and row["year"] == 2024
    assert row["source_encoding"] == "gb18030" and len(row["sha256"]) == 64
    (doc,) = load_user_documents(corpus)
    assert doc.text == REPORT
    assert doc.text[doc.body_start :].startswith("测试县2024年")
    assert doc.text[doc.body_end :].startswith("信息来源")
    assert any(doc.text[a:b].startswith("发布日期") for a, b in doc.excluded)
    sentences = (corpus / f"{doc.doc_id}.sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(doc.in_body(json.loads(s)["start"], json.loads(s)["end"]) for s in sentences)
    before = {p: p.read_bytes() for p in corpus.iterdir()}
    capsys.readouterr()
    assert main(args) == 2
    assert "already ingested" in capsys.readouterr().err
    utf8 = _write(tmp_path, REPORT, "same-text-utf8.txt")
    with pytest.raises(IngestError, match="already ingested"):
        ingest(utf8, unit="测试县", year=2024, directory=corpus)
    assert {p: p.read_bytes() for p in corpus.iterdir()} == before


def test_ingest_rejects_bad_input_and_unknown_unit_type(tmp_path: Path):
    corpus = tmp_path / "c"
    with pytest.raises(InputError, match="no Chinese"):
        ingest(_write(tmp_path, "hello\n"), unit="测试县", year=2024, directory=corpus)
    with pytest.raises(IngestError, match="unit-type"):
        ingest(_write(tmp_path, REPORT), unit="测试市", year=2024, directory=corpus)
    assert not corpus.exists()


@pytest.mark.slow
def test_fresh_clone_tag_trains_the_default_model_once_then_loads_it(tmp_path: Path, capsys):
    """No separate training step: the first `fazhi tag` trains DEFAULT_TAG_MODEL into the (empty) models folder."""
    path = _write(tmp_path, REPORT)
    models = tmp_path / "models"
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(path), "--models-dir", str(models), "-o", str(out)]) == 0
    assert f"trained {DEFAULT_TAG_MODEL}" in capsys.readouterr().err
    assert (models / DEFAULT_TAG_MODEL / "meta.json").is_file()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = [s for r in rows for s in r["spans"]]
    assert spans and all(s["score"] is None or 0 < s["score"] <= 1 for s in spans)
    assert main(["tag", str(path), "--models-dir", str(models), "--no-train", "-o", str(out)]) == 0
    assert "trained" not in capsys.readouterr().err


def test_parallel_workers_give_the_same_output_in_the_same_order(tmp_path: Path):
    body = "".join(d.text[d.body_start : d.body_end] + "\n" for d in load_documents())
    path = _write(tmp_path, body * 2)  # ~45K characters: several batches
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    tag_files([str(path)], model="rules", out=one, progress=False, jobs=1)
    tag_files([str(path)], model="rules", out=two, progress=False, jobs=2)
    assert one.read_bytes() == two.read_bytes()
    assert len(one.read_text(encoding="utf-8").splitlines()) > 2 * 256


def test_default_tag_model_is_the_best_learned_model_in_the_committed_results():
    """`fazhi tag` promises the best learned model; if a rerun of the baselines changes the ranking, this fails."""
    from fazhi_ner.baselines.registry import best_model

    assert best_model(learned_only=True).name == DEFAULT_TAG_MODEL
