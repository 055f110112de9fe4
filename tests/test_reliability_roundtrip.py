"""Round trips not covered elsewhere: export -> gold -> Label Studio tasks -> export, and prediction files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_ner.annotation.convert import convert_export, write_gold_directory
from fazhi_ner.annotation.tasks import result_items, task_text
from fazhi_ner.corpus import examples_from
from fazhi_ner.evaluation.readers import load_prediction_file
from fazhi_ner.gold import load_gold, read_gold_file, write_gold
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.seeds import documents_by_id
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span, spans_to_tags
from test_reliability_support import annotated_task, astral_variant, export_spans, export_tasks, utf16_offset

KEYS = ("from_name", "to_name", "type", "value")


def _results(task: dict) -> list[dict]:
    return sorted(
        ({k: item[k] for k in KEYS} for item in task["annotations"][0]["result"]),
        key=lambda d: json.dumps(d, sort_keys=True),
    )


def test_real_export_gold_tasks_export_is_the_identity(tmp_path: Path) -> None:
    docs = documents_by_id()
    original = export_tasks()
    write_gold_directory(convert_export(original, source="pass1", documents=docs), tmp_path / "gold", docs)
    gold = load_gold(tmp_path / "gold")
    rebuilt = [annotated_task(docs[t["data"]["doc_id"]], gold[t["data"]["doc_id"]], t["id"]) for t in original]
    again = convert_export(json.loads(json.dumps(rebuilt)), source="rebuilt", documents=docs)
    assert again.spans == gold
    for before, after in zip(original, rebuilt, strict=True):
        doc = docs[before["data"]["doc_id"]]
        # the committed exports were pushed before boilerplate was masked (issue 14, item 11): same offsets
        assert before["data"]["text"] == doc.text and after["data"]["text"] == task_text(doc)
        assert {k: v for k, v in after["data"].items() if k not in {"text", "masked"}} == {
            k: v for k, v in before["data"].items() if k != "text"
        }
        assert _results(after) == _results(before)  # the same regions Label Studio exported


@st.composite
def _doc_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """A document (one of the five, or the astral variant) and non-overlapping spans inside sentences."""
    variant, _ = astral_variant()
    docs = {**documents_by_id(), variant.doc_id: variant}
    doc = docs[draw(st.sampled_from(sorted(docs)))]
    sentences = document_sentences(doc)
    chosen = draw(st.lists(st.sampled_from(sentences), max_size=8, unique_by=lambda s: s.id))
    spans = []
    for sentence in chosen:
        a = draw(st.integers(sentence.start, sentence.end - 1))
        b = draw(st.integers(a + 1, sentence.end))
        spans.append(Span(a, b, draw(st.sampled_from(LABEL_NAMES)), doc.text[a:b]))
    return doc.doc_id, sorted(spans)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_doc_spans(), st.booleans())
def test_any_gold_survives_tasks_export_convert_and_gold_files(case: tuple[str, list[Span]], as_utf16: bool) -> None:
    """gold -> task + annotation JSON (offsets as a browser counts them, or code points) -> convert -> gold file."""
    variant, _ = astral_variant()
    docs = {**documents_by_id(), variant.doc_id: variant}
    doc_id, spans = case
    doc = docs[doc_id]
    task = json.loads(json.dumps(annotated_task(doc, spans)))
    if as_utf16:
        for item in task["annotations"][0]["result"]:
            v = item["value"]
            v["start"], v["end"] = utf16_offset(doc.text, v["start"]), utf16_offset(doc.text, v["end"])
    converted = convert_export([task], source="t", documents=docs)
    assert converted.spans[doc_id] == spans
    with tempfile.TemporaryDirectory() as tmp:
        read = read_gold_file(write_gold(doc, converted.spans[doc_id], Path(tmp)), doc)
    assert read == spans
    assert [i["value"] for i in result_items(doc, read)] == [i["value"] for i in result_items(doc, spans)]


_EXAMPLES = examples_from({d: list(s) for d, s in export_spans().items()}, ["jianghai-2022"])


@st.composite
def _predictions(draw: st.DrawFn) -> dict[str, list[Span]]:
    out = {}
    for ex in _EXAMPLES:
        cuts = sorted(set(draw(st.lists(st.integers(0, len(ex.text)), max_size=4))))
        out[ex.id] = [
            Span(a, b, draw(st.sampled_from(LABEL_NAMES)), ex.text[a:b])
            for a, b in zip(cuts[::2], cuts[1::2], strict=False)
            if a < b
        ]
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_predictions(), st.sampled_from(["spans", "tags", "conll", "conll-ids"]))
def test_prediction_files_read_back_exactly(predictions: dict[str, list[Span]], form: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if form.startswith("conll"):
            path = Path(tmp) / "p.conll"
            blocks = []
            for ex in reversed(_EXAMPLES) if form == "conll-ids" else _EXAMPLES:
                head = [f"# id = {ex.id}"] if form == "conll-ids" else []
                tags = spans_to_tags(predictions[ex.id], len(ex.text))
                blocks.append("\n".join(head + [f"{c}\t{t}" for c, t in zip(ex.text, tags, strict=True)]))
            path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        else:
            path = Path(tmp) / "p.jsonl"
            rows = []
            for ex in _EXAMPLES:
                spans = predictions[ex.id]
                value = spans_to_tags(spans, len(ex.text)) if form == "tags" else [s.as_dict() for s in spans]
                rows.append(json.dumps({"id": ex.id, form: value}, ensure_ascii=False))
            path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        got = load_prediction_file(path, _EXAMPLES)
    assert got.spans == {ex.id: predictions[ex.id] for ex in _EXAMPLES}
