"""Export -> gold conversion: every validation problem, the annotation policies, and all-or-nothing writes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.annotation.convert import (
    ExportInvalid,
    ExportProblem,
    choose_annotation,
    convert_export,
    export_document_spans,
    write_gold_directory,
)
from fazhi_ner.annotation.tasks import result_item, task_data
from fazhi_ner.cli import main
from fazhi_ner.errors import AnnotationError, StaleError
from fazhi_ner.gold import load_gold
from fazhi_ner.seeds import Document, documents_by_id, get_document
from fazhi_ner.spans import Span

GAOTAI = "gaotai-2022"
XIANJU = "xianju-2023"
SOURCE = "export.json"


def _span(doc: Document, needle: str, label: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(needle, start + 1)
    return Span(start, start + len(needle), label, needle)


def _annotation(items: list[dict[str, Any]], ident: int = 1, **extra: Any) -> dict[str, Any]:
    base = {"id": ident, "result": items, "was_cancelled": False, "ground_truth": False}
    base["updated_at"] = extra.pop("updated_at", "2026-01-01T00:00:00Z")
    base.update(extra)
    return base


def _task(doc: Document, annotations: list[dict[str, Any]], ident: int = 1) -> dict[str, Any]:
    return {"id": ident, "data": task_data(doc), "annotations": annotations}


def _gaotai_spans() -> list[Span]:
    doc = get_document(GAOTAI)
    return [_span(doc, "县委全面依法治县委员会", "AGENCY"), _span(doc, "开展会前学法21次", "INDICATOR")]


def _good_task() -> dict[str, Any]:
    return _task(get_document(GAOTAI), [_annotation([result_item(s) for s in _gaotai_spans()])])


def _problems(tasks: list[dict[str, Any]], documents: dict[str, Document] | None = None) -> list[ExportProblem]:
    with pytest.raises(ExportInvalid) as info:
        convert_export(tasks, source=SOURCE, documents=documents or documents_by_id())
    assert all(isinstance(p, AnnotationError) for p in info.value.problems)
    return info.value.problems


def _only(tasks: list[dict[str, Any]], kind: str, documents: dict[str, Document] | None = None) -> ExportProblem:
    problems = _problems(tasks, documents)
    assert [p.kind for p in problems] == [kind], [str(p) for p in problems]
    problem = problems[0]
    assert str(problem).startswith(f"{SOURCE}: task ")
    assert "\n" not in str(problem)
    return problem


def test_valid_export_converts_to_the_submitted_spans() -> None:
    converted = convert_export([_good_task()], source=SOURCE, documents=documents_by_id())
    assert converted.spans == {GAOTAI: sorted(_gaotai_spans())}
    assert converted.annotation_ids == {GAOTAI: 1}


def test_empty_annotation_is_a_document_without_spans() -> None:
    converted = convert_export(
        [_task(get_document(GAOTAI), [_annotation([])])], source=SOURCE, documents=documents_by_id()
    )
    assert converted.spans == {GAOTAI: []}


def test_span_text_must_equal_the_document_text() -> None:
    item = result_item(_gaotai_spans()[1])
    item["value"]["text"] = "开展会前学法22次"
    problem = _only([_task(get_document(GAOTAI), [_annotation([item])])], "region text differs from the document")
    assert problem.doc_id == GAOTAI and problem.task_id == 1
    assert (problem.start, problem.end) == (item["value"]["start"], item["value"]["end"])
    assert problem.expected == "开展会前学法21次" and problem.found == "开展会前学法22次"


def test_shifted_offsets_are_a_text_mismatch() -> None:
    item = result_item(_gaotai_spans()[1])
    item["value"]["start"] += 1
    item["value"]["end"] += 1
    _only([_task(get_document(GAOTAI), [_annotation([item])])], "region text differs from the document")


def test_unknown_label() -> None:
    item = result_item(_gaotai_spans()[0])
    item["value"]["labels"] = ["ORG"]
    problem = _only([_task(get_document(GAOTAI), [_annotation([item])])], "unknown label")
    assert problem.found == "ORG"


def test_two_labels_on_one_region() -> None:
    item = result_item(_gaotai_spans()[0])
    item["value"]["labels"] = ["AGENCY", "INITIATIVE"]
    _only([_task(get_document(GAOTAI), [_annotation([item])])], "expected exactly one label")


def test_result_from_another_control() -> None:
    item = result_item(_gaotai_spans()[0])
    item["from_name"] = "ner"
    _only([_task(get_document(GAOTAI), [_annotation([item])])], "result item from another control")


def test_non_integer_offsets() -> None:
    item = result_item(_gaotai_spans()[0])
    item["value"]["start"] = "3"
    _only([_task(get_document(GAOTAI), [_annotation([item])])], "offsets are not integers")


def test_offsets_outside_the_text() -> None:
    doc = get_document(GAOTAI)
    item = result_item(Span(len(doc.text) - 1, len(doc.text) + 5, "AGENCY", "x"))
    _only([_task(doc, [_annotation([item])])], "offsets outside the text")


def test_overlapping_spans() -> None:
    doc = get_document(GAOTAI)
    outer = _span(doc, "县委全面依法治县委员会", "AGENCY")
    inner = Span(outer.start + 2, outer.end, "INITIATIVE", doc.text[outer.start + 2 : outer.end])
    problem = _only([_task(doc, [_annotation([result_item(outer), result_item(inner)])])], "overlapping spans")
    assert (problem.start, problem.end) == (inner.start, inner.end)


def test_span_outside_the_body() -> None:
    doc = get_document(XIANJU)
    assert doc.body_start > 0
    span = _span(doc, "计划总结", "INITIATIVE")
    assert span.end <= doc.body_start
    _only([_task(doc, [_annotation([result_item(span)])])], "span outside the body")


def test_span_in_an_excluded_range() -> None:
    doc = get_document(XIANJU)
    inside = next((a, b) for a, b in doc.excluded if doc.body_start <= a and b <= doc.body_end)
    needle = doc.text[inside[0] : inside[1]].strip()[:4]
    span = _span(doc, needle, "INDICATOR", occurrence=0)
    assert inside[0] <= span.start < inside[1]
    problem = _only([_task(doc, [_annotation([result_item(span)])])], "span in an excluded range")
    assert str(inside[0]) in str(problem.expected)


def test_span_crossing_a_sentence_boundary() -> None:
    doc = get_document(GAOTAI)
    span = Span(20, 40, "INITIATIVE", doc.text[20:40])
    _only([_task(doc, [_annotation([result_item(span)])])], "span crosses a sentence boundary")


def test_task_text_must_be_the_seed_text() -> None:
    task = _good_task()
    task["data"]["text"] = task["data"]["text"].replace("法治", "法制", 1)
    problems = _problems([task])
    assert [p.kind for p in problems] == ["task text differs from the seed"]
    assert problems[0].start == get_document(GAOTAI).text.index("法治") + 1
    assert "at offset" in str(problems[0])


def test_task_sha256_must_be_the_seed_sha256() -> None:
    task = _good_task()
    task["data"]["sha256"] = "0" * 64
    problem = _only([task], "task sha256 differs from the seed")
    assert problem.expected == get_document(GAOTAI).sha256


def test_unknown_and_missing_doc_id() -> None:
    unknown = _good_task()
    unknown["data"]["doc_id"] = "nowhere-2020"
    missing = _good_task()
    missing["id"] = 2
    del missing["data"]["doc_id"]
    kinds = [p.kind for p in _problems([unknown, missing])]
    assert kinds == ["unknown doc_id", "task data has no doc_id"]


def test_two_tasks_for_one_document() -> None:
    second = _good_task()
    second["id"] = 2
    _only([_good_task(), second], "document has several tasks")


def test_task_without_annotation() -> None:
    _only([_task(get_document(GAOTAI), [])], "no annotation")


def test_cancelled_annotations_are_ignored() -> None:
    doc = get_document(GAOTAI)
    _only([_task(doc, [_annotation([], was_cancelled=True)])], "no annotation")
    cancelled_newer = _annotation([], ident=2, was_cancelled=True, updated_at="2026-06-01T00:00:00Z")
    kept = _annotation([result_item(s) for s in _gaotai_spans()], ident=1)
    converted = convert_export([_task(doc, [kept, cancelled_newer])], source=SOURCE, documents=documents_by_id())
    assert converted.annotation_ids == {GAOTAI: 1}
    assert converted.spans[GAOTAI] == sorted(_gaotai_spans())


def test_most_recently_updated_annotation_wins() -> None:
    older = _annotation([], ident=5, updated_at="2026-01-01T00:00:00Z")
    newer = _annotation([], ident=3, updated_at="2026-02-01T10:00:00.123456Z")
    assert choose_annotation({"annotations": [older, newer]}) is newer


def test_ground_truth_annotation_wins_over_newer_ones() -> None:
    truth = _annotation([], ident=1, ground_truth=True, updated_at="2025-01-01T00:00:00Z")
    newer = _annotation([], ident=2, updated_at="2026-06-01T00:00:00Z")
    assert choose_annotation({"annotations": [newer, truth]}) is truth
    cancelled_truth = _annotation([], ident=3, ground_truth=True, was_cancelled=True)
    assert choose_annotation({"annotations": [cancelled_truth, newer]}) is newer


def test_problems_of_all_tasks_are_collected() -> None:
    bad_label = _good_task()
    bad_label["annotations"][0]["result"][0]["value"]["labels"] = ["ORG"]
    xianju = get_document(XIANJU)
    no_annotation = _task(xianju, [], ident=2)
    problems = _problems([bad_label, no_annotation])
    assert {(p.doc_id, p.kind) for p in problems} == {(GAOTAI, "unknown label"), (XIANJU, "no annotation")}


def _emoji_document() -> Document:
    base = get_document(GAOTAI)
    text = "😀县司法局开展会前学法21次。𠀀县人民法院审结案件63件。"
    return replace(base, doc_id="emoji-2022", text=text, sha256="e" * 64, body_start=0, body_end=len(text), excluded=())


def _emoji_task(doc: Document, offsets: list[tuple[int, int, str]]) -> dict[str, Any]:
    items = []
    for start, end, label in offsets:
        span = Span(start, end, label, "")
        item = result_item(span)
        item["value"]["text"] = {"AGENCY": "县人民法院", "INDICATOR": "开展会前学法21次"}[label]
        items.append(item)
    return _task(doc, [_annotation(items)])


def test_utf16_offsets_are_detected_and_converted() -> None:
    doc = _emoji_document()
    court = doc.text.index("县人民法院")  # code points
    study = doc.text.index("开展会前学法21次")
    utf16 = [
        (study + 1, study + 1 + 9, "INDICATOR"),
        (court + 2, court + 2 + 5, "AGENCY"),
    ]  # 1 and 2 astral chars before
    converted = convert_export([_emoji_task(doc, utf16)], source=SOURCE, documents={doc.doc_id: doc})
    assert converted.utf16_converted == (doc.doc_id,)
    assert [(s.start, s.end, s.text) for s in converted.spans[doc.doc_id]] == [
        (study, study + 9, "开展会前学法21次"),
        (court, court + 5, "县人民法院"),
    ]


def test_code_point_offsets_in_astral_text_are_kept() -> None:
    doc = _emoji_document()
    court = doc.text.index("县人民法院")
    converted = convert_export(
        [_emoji_task(doc, [(court, court + 5, "AGENCY")])], source=SOURCE, documents={doc.doc_id: doc}
    )
    assert converted.utf16_converted == ()
    assert converted.spans[doc.doc_id][0].start == court


def test_offsets_matching_neither_reading_are_rejected() -> None:
    doc = _emoji_document()
    court = doc.text.index("县人民法院")
    problem = _only(
        [_emoji_task(doc, [(court + 1, court + 6, "AGENCY")])],
        "region text differs from the document",
        {doc.doc_id: doc},
    )
    assert "UTF-16" in str(problem)


def _write_export(tmp_path: Path, tasks: list[dict[str, Any]]) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_convert_writes_gold_and_check_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = _write_export(tmp_path, [_good_task()])
    out = tmp_path / "gold"
    assert main(["annotate", "convert", str(export), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{GAOTAI}.jsonl"]
    assert load_gold(out) == {GAOTAI: sorted(_gaotai_spans())}
    assert main(["annotate", "convert", str(export), "--out", str(out), "--check"]) == 0
    (out / f"{GAOTAI}.jsonl").write_text("", encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "convert", str(export), "--out", str(out), "--check"]) != 0
    assert "gaotai-2022.jsonl: stale; expected the output of `fazhi annotate convert`" in capsys.readouterr().err


def test_cli_convert_prints_every_problem_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write_export(tmp_path, [_good_task()])
    out = tmp_path / "gold"
    assert main(["annotate", "convert", str(good), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad_label = _good_task()
    bad_label["annotations"][0]["result"][0]["value"]["labels"] = ["ORG"]
    bad_text = _task(get_document(XIANJU), [_annotation([])], ident=2)
    bad_text["data"]["sha256"] = "0" * 64
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([bad_label, bad_text], ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "convert", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3  # two problem lines + the summary error line
    assert err[0].startswith(f"{bad}: task 1 doc {GAOTAI}") and "unknown label" in err[0]
    assert err[1].startswith(f"{bad}: task 2 doc {XIANJU}") and "sha256" in err[1]
    assert err[2].startswith("error: ") and "nothing written" in err[2]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".gold.*"))


def test_write_refuses_a_folder_with_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "gold"
    out.mkdir()
    (out / "notes.md").write_text("keep me", encoding="utf-8")
    converted = convert_export([_good_task()], source=SOURCE, documents=documents_by_id())
    with pytest.raises(AnnotationError, match="other than"):
        write_gold_directory(converted, out, documents_by_id())
    assert (out / "notes.md").read_text(encoding="utf-8") == "keep me"


def test_check_names_missing_and_extra_files_and_writes_nothing(tmp_path: Path) -> None:
    converted = convert_export([_good_task()], source=SOURCE, documents=documents_by_id())
    out = tmp_path / "gold"
    out.mkdir()
    (out / f"{XIANJU}.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(StaleError) as caught:
        write_gold_directory(converted, out, documents_by_id(), check=True)
    assert GAOTAI in str(caught.value) and f"{XIANJU}.jsonl (no longer generated)" in str(caught.value)
    assert sorted(p.name for p in out.iterdir()) == [f"{XIANJU}.jsonl"]


def test_malformed_export_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["annotate", "convert", str(path), "--out", str(tmp_path / "gold")]) == 2
    path.write_text('{"tasks": []}', encoding="utf-8")
    with pytest.raises(AnnotationError, match="list of task objects"):
        export_document_spans(path, GAOTAI, documents_by_id())
    assert not (tmp_path / "gold").exists()


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_round_trip_spans_through_export(data: st.DataObject) -> None:
    """Any valid set of spans inside sentences survives result items -> export -> convert unchanged."""
    from fazhi_ner.sentences import document_sentences

    doc = get_document(GAOTAI)
    sentences = document_sentences(doc)
    chosen = data.draw(st.lists(st.sampled_from(sentences), max_size=6, unique_by=lambda s: s.id))
    spans = []
    for sentence in chosen:
        a = data.draw(st.integers(sentence.start, sentence.end - 1))
        b = data.draw(st.integers(a + 1, sentence.end))
        label = data.draw(st.sampled_from(["AGENCY", "INITIATIVE", "INDICATOR"]))
        spans.append(Span(a, b, label, doc.text[a:b]))
    task = _task(doc, [_annotation([result_item(s) for s in spans])])
    converted = convert_export([json.loads(json.dumps(task))], source=SOURCE, documents=documents_by_id())
    assert converted.spans[GAOTAI] == sorted(spans)
