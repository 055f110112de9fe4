"""Task building, credentials, review-file commands (render, the parsing half of apply) without a server."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from fazhi_ner.annotation import cli as annotation_cli
from fazhi_ner.annotation.credentials import (
    ENV_TOKEN,
    read_credentials,
    resolve_credentials,
    token_for_client,
    write_credentials,
)
from fazhi_ner.annotation.tasks import build_task, masked_ranges, project_slug, result_item, result_items, task_text
from fazhi_ner.cli import main
from fazhi_ner.errors import AnnotationError, ServerError
from fazhi_ner.formats.review import parse_review, render_document, review_doc_id
from fazhi_ner.seeds import get_document
from fazhi_ner.spans import Span

DOC = "gaotai-2022"


def _spans() -> list[Span]:
    doc = get_document(DOC)
    out = []
    for needle, label in [("开展会前学法21次", "INDICATOR"), ("县委全面依法治县委员会", "AGENCY")]:
        start = doc.text.index(needle)
        out.append(Span(start, start + len(needle), label, needle))
    return out


def fake_predictions(doc):  # noqa: ANN001, ANN201
    start = doc.text.index("开展会前学法21次")
    return [Span(start, start + 9, "INDICATOR", "开展会前学法21次")], "fake-rules-0"


def test_build_task_carries_the_document_and_predictions() -> None:
    doc = get_document("xianju-2023")
    start = doc.text.index("仙居县", doc.body_start)
    task = build_task(doc, [Span(start, start + 3, "AGENCY", "")], "rules-x")
    assert task["data"] == {
        "text": task_text(doc),  # boilerplate masked, same length (see test_annotation_masking.py)
        "masked": [list(r) for r in masked_ranges(doc)],
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "body_start": doc.body_start,
        "body_end": doc.body_end,
    }
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "rules-x"
    (item,) = prediction["result"]
    assert item["value"] == {"start": start, "end": start + 3, "text": "仙居县", "labels": ["AGENCY"]}
    assert (item["from_name"], item["to_name"], item["type"]) == ("label", "text", "labels")
    assert "predictions" not in build_task(doc)


def test_result_items_are_manual_sorted_and_use_document_text() -> None:
    doc = get_document(DOC)
    items = result_items(doc, [Span(s.start, s.end, s.label) for s in reversed(_spans())])
    assert [i["value"]["start"] for i in items] == sorted(s.start for s in _spans())
    assert all(i["origin"] == "manual" for i in items)
    assert {i["value"]["text"] for i in items} == {s.text for s in _spans()}
    assert len({i["id"] for i in items}) == 2
    assert result_item(_spans()[0])["id"] == result_item(_spans()[0])["id"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [("FaZhi-NER gold", "gold"), ("FaZhi-NER pilot A", "pilot-a"), ("My Project", "my-project"), ("法治", "project")],
)
def test_project_slug(title: str, slug: str) -> None:
    assert project_slug(title) == slug


def test_credentials_are_generated_once_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FAZHI_LS_USERNAME", "FAZHI_LS_PASSWORD", ENV_TOKEN):
        monkeypatch.delenv(name, raising=False)
    first = resolve_credentials(tmp_path)
    path = write_credentials(tmp_path, first)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_credentials(tmp_path) == first == read_credentials(tmp_path)
    assert len(first.token) == 40 and first.token.isalnum()
    assert token_for_client(tmp_path) == first.token
    monkeypatch.setenv(ENV_TOKEN, "abcdef123456")
    assert resolve_credentials(tmp_path).token == "abcdef123456"
    assert token_for_client(tmp_path) == "abcdef123456"
    monkeypatch.setenv(ENV_TOKEN, "x" * 41)
    with pytest.raises(ServerError, match="6-40"):
        resolve_credentials(tmp_path)


def test_client_without_credentials_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    with pytest.raises(ServerError, match="fazhi annotate serve"):
        token_for_client(tmp_path)
    (tmp_path / "credentials.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ServerError, match="malformed"):
        token_for_client(tmp_path)


def test_review_doc_id_from_header_or_sentence_ids(tmp_path: Path) -> None:
    doc = get_document(DOC)
    path = tmp_path / "r.txt"
    path.write_text(render_document(doc, _spans()), encoding="utf-8")
    assert review_doc_id(path) == DOC
    body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    path.write_text(body + "\n", encoding="utf-8")
    assert review_doc_id(path) == DOC
    assert parse_review(path, doc) == sorted(_spans())
    path.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="doc_id"):
        review_doc_id(path)


def test_render_from_rules_and_gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(annotation_cli, "rule_predictions", fake_predictions)
    out = tmp_path / "rules.txt"
    assert main(["annotate", "render", DOC, "--source", "rules", "-o", str(out)]) == 0
    assert "【开展会前学法21次|INDICATOR】" in out.read_text(encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    lines = [json.dumps({"doc_id": DOC, **s.as_dict()}, ensure_ascii=False) for s in sorted(_spans())]
    (gold / f"{DOC}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out2 = tmp_path / "gold.txt"
    assert main(["annotate", "render", DOC, "--source", "gold", "--gold", str(gold), "-o", str(out2)]) == 0
    assert parse_review(out2, get_document(DOC)) == sorted(_spans())
    assert main(["annotate", "render", DOC, "--source", "export", "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["annotate", "render", DOC, "--source", "guess", "-o", str(tmp_path / "x.txt")]) == 2


def test_render_from_export(tmp_path: Path) -> None:
    from fazhi_ner.annotation.tasks import task_data

    doc = get_document(DOC)
    export = tmp_path / "export.json"
    task = {"id": 7, "data": task_data(doc), "annotations": [{"id": 1, "result": [result_item(s) for s in _spans()]}]}
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.txt"
    assert main(["annotate", "render", DOC, "--source", "export", "--export", str(export), "-o", str(out)]) == 0
    assert parse_review(out, doc) == sorted(_spans())


def test_apply_rejects_a_broken_review_file_before_contacting_a_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = get_document(DOC)
    path = tmp_path / "r.txt"
    path.write_text(render_document(doc, _spans()).replace("|INDICATOR】", "|METRIC】"), encoding="utf-8")
    assert main(["annotate", "apply", str(path), "--url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "unknown label 'METRIC'" in err and str(path) in err
