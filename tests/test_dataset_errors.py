"""Bad input stops the build with one clear error and leaves the previous dataset/ untouched."""

from __future__ import annotations

import json
import shutil

import pytest

from fazhi_ner.dataset import build as builder
from fazhi_ner.errors import FaZhiError, GoldError
from fazhi_ner.seeds import get_document
from fazhi_ner.sentences import document_sentences
from test_dataset_support import build_into, make_gold, tree_digest, write_raw_gold

DOC = "xianju-2023"


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """One good build (gold + repo), built once: every test starts from its own copy."""
    base = tmp_path_factory.mktemp("good")
    gold = make_gold(base / "gold", [DOC])
    build_into(base / "repo", gold)
    return base


@pytest.fixture
def previous(good_build, tmp_path):
    """A good build in tmp_path/repo, and the digest of everything it wrote."""
    for name in ("gold", "repo"):
        shutil.copytree(good_build / name, tmp_path / name)
    return tmp_path, tmp_path / "gold", tree_digest(tmp_path / "repo")


def _rows(gold):
    path = gold / f"{DOC}.jsonl"
    return path, [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _assert_intact(tmp_path, before):
    assert tree_digest(tmp_path / "repo") == before
    leftovers = [p.name for p in (tmp_path / "repo").iterdir() if p.name.endswith((".staging", ".old"))]
    assert leftovers == []


def test_corrupted_gold_file(previous):
    tmp_path, gold, before = previous
    path, _ = _rows(gold)
    path.write_text(path.read_text(encoding="utf-8")[:-30], encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{DOC}\.jsonl:\d+: malformed JSON"):
        build_into(tmp_path / "repo", gold)
    _assert_intact(tmp_path, before)


def test_span_text_disagrees_with_the_document(previous):
    tmp_path, gold, before = previous
    path, rows = _rows(gold)
    rows[0]["text"] = "不是这段文字"
    write_raw_gold(path, rows)
    with pytest.raises(GoldError, match="expected text"):
        build_into(tmp_path / "repo", gold)
    _assert_intact(tmp_path, before)


def test_unknown_label(previous):
    tmp_path, gold, before = previous
    path, rows = _rows(gold)
    rows[0]["label"] = "PERSON"
    write_raw_gold(path, rows)
    with pytest.raises(GoldError, match="unknown label 'PERSON'"):
        build_into(tmp_path / "repo", gold)
    _assert_intact(tmp_path, before)


def test_span_crossing_a_sentence_boundary(previous):
    tmp_path, gold, before = previous
    doc = get_document(DOC)
    first, second = document_sentences(doc)[3:5]
    start, end = first.end - 2, second.start + 2
    path, _ = _rows(gold)
    write_raw_gold(path, [{"doc_id": DOC, "start": start, "end": end, "label": "AGENCY", "text": doc.text[start:end]}])
    with pytest.raises(GoldError, match=f"crosses the boundary of sentence {first.id}"):
        build_into(tmp_path / "repo", gold)
    _assert_intact(tmp_path, before)


def test_interruption_mid_build_keeps_the_previous_dataset(previous, monkeypatch):
    tmp_path, gold, before = previous
    (gold / "gaotai-2022.jsonl").write_text("", encoding="utf-8")  # a real change, so a finished build would differ
    calls = []
    real = builder.write_parquet

    def interrupted(rows, config, path):
        calls.append(config)
        if config == "documents":
            raise KeyboardInterrupt
        return real(rows, config, path)

    monkeypatch.setattr(builder, "write_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_into(tmp_path / "repo", gold)
    assert "sentences" in calls  # files had been written into the staging folder
    _assert_intact(tmp_path, before)


def test_errors_are_one_line_fazhi_errors(previous):
    tmp_path, gold, _ = previous
    path, rows = _rows(gold)
    rows[1]["start"] = "x"
    write_raw_gold(path, rows)
    with pytest.raises(FaZhiError) as info:
        build_into(tmp_path / "repo", gold)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_span_between_sentences(previous):
    tmp_path, gold, before = previous
    doc = get_document(DOC)
    sentences = document_sentences(doc)
    first = next(s for s, t in zip(sentences, sentences[1:], strict=False) if t.start > s.end)
    path, _ = _rows(gold)
    span = {"doc_id": DOC, "start": first.end, "end": first.end + 1, "label": "AGENCY", "text": doc.text[first.end]}
    write_raw_gold(path, [span])
    with pytest.raises(GoldError, match="whitespace between sentences"):
        build_into(tmp_path / "repo", gold)
    _assert_intact(tmp_path, before)
