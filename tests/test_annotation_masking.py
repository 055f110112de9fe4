"""Issue 14, item 11: the tasks and the guidelines agree on boilerplate (masked in the task)."""

from __future__ import annotations

from fazhi_ner.annotation.convert import convert_export
from fazhi_ner.annotation.tasks import MASK, build_task, result_item, task_text
from fazhi_ner.paths import annotation_dir
from fazhi_ner.seeds import documents_by_id, get_document, load_documents
from fazhi_ner.spans import Span

XIANJU = "xianju-2023"


def test_xianju_task_masks_the_web_header_and_footer() -> None:
    doc = get_document(XIANJU)
    text = build_task(doc)["data"]["text"]
    assert len(text) == len(doc.text)
    header = doc.text[: doc.body_start]
    assert header.strip() and header not in text
    assert set(text[: doc.body_start]) <= {MASK, "\n", "\r"}
    for a, b in doc.excluded:
        assert set(text[a:b]) <= {MASK, "\n", "\r"}
    assert set(text[doc.body_end :]) <= {MASK, "\n", "\r"}


def test_every_body_character_is_unchanged_and_only_boilerplate_is_masked() -> None:
    for doc in load_documents():
        text = task_text(doc)
        assert len(text) == len(doc.text)
        for i, (shown, real) in enumerate(zip(text, doc.text, strict=True)):
            if doc.in_body(i, i + 1):
                assert shown == real, (doc.doc_id, i)
            else:
                assert shown == real if real in "\r\n" else shown == MASK


def test_an_export_of_masked_tasks_converts_with_document_offsets() -> None:
    doc = get_document(XIANJU)
    needle = next(iter(doc.text[doc.body_start : doc.body_start + 400].split("，")))[:6]
    start = doc.text.index(needle, doc.body_start)
    span = Span(start, start + len(needle), "AGENCY", needle)
    task = {"id": 1, **build_task(doc), "annotations": [{"id": 1, "result": [result_item(span)]}]}
    converted = convert_export([task], source="masked.json", documents=documents_by_id())
    assert converted.spans[XIANJU] == [span]


def test_the_guidelines_say_what_the_tasks_do() -> None:
    text = (annotation_dir() / "guidelines.md").read_text(encoding="utf-8")
    assert "do not appear in the tasks" not in text
    assert "**masked** in the Label Studio tasks" in text and MASK in text
