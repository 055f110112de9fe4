from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.atomic import atomic_directory, atomic_write_text
from fazhi_ner.cli import main
from fazhi_ner.errors import AnnotationError, GoldError
from fazhi_ner.formats.review import parse_line, parse_review, render_document, render_sentence
from fazhi_ner.gold import load_gold, read_gold_file, sentence_spans, write_gold
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.seeds import get_document
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

DOC = "gaotai-2022"


def _some_spans() -> list[Span]:
    doc = get_document(DOC)
    spans = []
    for needle, label in [
        ("县委全面依法治县委员会", "AGENCY"),
        ("开展会前学法21次", "INDICATOR"),
        ("“法律八进”活动", "INITIATIVE"),
    ]:
        start = doc.text.index(needle)
        spans.append(Span(start, start + len(needle), label, needle))
    return spans


def test_review_file_round_trip(tmp_path: Path) -> None:
    doc = get_document(DOC)
    path = tmp_path / "review.txt"
    path.write_text(render_document(doc, _some_spans()), encoding="utf-8")
    assert "【开展会前学法21次|INDICATOR】" in path.read_text(encoding="utf-8")
    assert parse_review(path, doc) == sorted(_some_spans())


@settings(max_examples=60)
@given(st.data())
def test_render_parse_round_trip_on_real_sentences(data: st.DataObject) -> None:
    sentence = data.draw(st.sampled_from(document_sentences(get_document("xianju-2023"))))
    n = len(sentence.text)
    cuts = sorted(data.draw(st.sets(st.integers(0, n), max_size=8)))
    spans = [
        Span(a, b, data.draw(st.sampled_from(LABEL_NAMES)), sentence.text[a:b])
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if a < b
    ]
    assert parse_line(render_sentence(sentence.text, spans), sentence.text, where="x") == sorted(spans)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("【开展会前学法21次|PERSON】。", "unknown label 'PERSON'"),
        ("【开展会前学法21次|INDICATOR。", "stray or malformed markup"),
        ("开展会前学法22次。", "differs from the sentence at offset 7"),
    ],
)
def test_review_line_errors(line: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        parse_line(line, "开展会前学法21次。", where="f:3")


def test_review_file_missing_sentence_is_an_error(tmp_path: Path) -> None:
    doc = get_document(DOC)
    lines = render_document(doc, []).splitlines()
    (tmp_path / "r.txt").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="1 sentences missing"):
        parse_review(tmp_path / "r.txt", doc)


def test_gold_write_read_and_sentence_view(tmp_path: Path) -> None:
    doc = get_document(DOC)
    write_gold(doc, _some_spans(), tmp_path)
    assert read_gold_file(tmp_path / f"{DOC}.jsonl", doc) == sorted(_some_spans())
    gold = load_gold(tmp_path)
    assert list(gold) == [DOC]
    for sentence in document_sentences(doc):
        for span in sentence_spans(sentence, gold[DOC]):
            assert sentence.text[span.start : span.end] == span.text


def test_gold_file_with_wrong_text_names_file_and_line(tmp_path: Path) -> None:
    doc = get_document(DOC)
    write_gold(doc, _some_spans(), tmp_path)
    path = tmp_path / f"{DOC}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[1]["start"] += 1
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{DOC}\.jsonl.*expected text"):
        read_gold_file(path, doc)


def test_gold_span_in_boilerplate_is_rejected(tmp_path: Path) -> None:
    doc = get_document("xianju-2023")
    a, b = doc.excluded[1]
    with pytest.raises(GoldError, match="excluded boilerplate"):
        write_gold(doc, [Span(a, a + 4, "INDICATOR", doc.text[a : a + 4])], tmp_path)
    assert not (tmp_path / "xianju-2023.jsonl").exists()


def test_atomic_directory_keeps_previous_tree_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_directory(target) as staging:
        atomic_write_text(staging / "a.txt", "first")
    with pytest.raises(RuntimeError), atomic_directory(target) as staging:
        (staging / "a.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert (target / "a.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_reports_typed_errors_with_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert main(["seeds", "check"]) == 0
    assert "gaotai-2022" in capsys.readouterr().out
    monkeypatch.setattr("fazhi_ner.schema.annotation_dir", lambda: tmp_path)
    assert main(["schema", "check"]) == 1
    assert "stale; expected the output of `fazhi schema write`" in capsys.readouterr().err


def test_atomic_write_gives_normal_permissions(tmp_path: Path) -> None:
    import os
    import stat

    atomic_write_text(tmp_path / "f.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == 0o666 & ~mask


def test_gold_file_nested_too_deeply_is_a_gold_error(tmp_path: Path) -> None:
    doc = get_document(DOC)
    path = tmp_path / f"{DOC}.jsonl"
    path.write_text("[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{DOC}\.jsonl:1: malformed JSON \(nested too deeply"):
        read_gold_file(path, doc)
