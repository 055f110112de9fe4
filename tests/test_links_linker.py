"""The link baseline: pure ``link_spans`` on gold and new text, and the LODO protocol (issue 15)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.cli import main
from fazhi_ner.gold import load_gold
from fazhi_ner.links import link_spans
from fazhi_ner.links.linker import body_type, taxonomy_examples
from fazhi_ner.links.taxonomy import load_taxonomy
from fazhi_ner.seeds import documents_by_id


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str


def test_link_spans_on_a_new_text_links_indicators_and_agencies() -> None:
    text = "县司法局受理行政复议案件12件,调解成功率98%。"
    spans = [_Span(0, 4, "AGENCY"), _Span(4, 15, "INDICATOR"), _Span(16, 24, "INDICATOR")]
    assert text[4:15] == "受理行政复议案件12件" and text[16:24] == "调解成功率98%"
    links = link_spans(text, spans)
    assert [p.link for p in links] == [
        "justice_administration",
        "admin_reconsideration.cases_received",
        "mediation.success_rate",
    ]
    assert all(0.0 <= p.score <= 1.0 for p in links)


def test_link_spans_leaves_initiatives_unlinked() -> None:
    assert link_spans("《方案》", [_Span(0, 4, "INITIATIVE")])[0].link is None


def test_body_type_rules_use_context_for_bare_standing_committee() -> None:
    assert body_type("常委会", "及时向区人大及其") == "peoples_congress"
    assert body_type("县委常委会") == "party_standing_committee"
    assert body_type("某某协会") == "social_organisation"
    assert body_type("不知道") == "other"


def test_lodo_drops_examples_quoted_from_the_held_out_report() -> None:
    taxonomy = load_taxonomy()
    heishui = documents_by_id()["heishui-2022"].text
    kept = {e.text for e in taxonomy_examples(taxonomy, exclude_text=heishui)}
    assert "会前学法16次" not in kept and "会前学法16次" in {e.text for e in taxonomy_examples(taxonomy)}


def test_predict_command_links_a_tagged_report(tmp_path: Path, capsys) -> None:
    doc = documents_by_id()["gaotai-2022"]
    text = tmp_path / "report.txt"
    text.write_text(doc.text, encoding="utf-8")
    spans = tmp_path / "spans.jsonl"
    gold = [s for s in load_gold()["gaotai-2022"] if s.label != "INITIATIVE"][:5]
    spans.write_text(
        "".join(json.dumps({"start": s.start, "end": s.end, "label": s.label}) + "\n" for s in gold), encoding="utf-8"
    )
    assert main(["links", "predict", "--text", str(text), "--spans", str(spans)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == [s.text for s in gold] and all(r["link"] for r in rows)
    spans.write_text('{"start": 0}\n', encoding="utf-8")
    assert main(["links", "predict", "--text", str(text), "--spans", str(spans)]) == 2


def test_predict_reads_fazhi_tag_sentence_rows_without_the_report(tmp_path: Path, capsys) -> None:
    rows = tmp_path / "tagged.jsonl"
    sentence = {
        "text": "县司法局受理行政复议案件12件。",
        "doc_start": 100,
        "spans": [{"start": 0, "end": 4, "label": "AGENCY"}, {"start": 4, "end": 15, "label": "INDICATOR"}],
    }
    rows.write_text(json.dumps(sentence, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["links", "predict", "--spans", str(rows)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["start"], r["link"]) for r in out] == [
        (100, "justice_administration"),
        (104, "admin_reconsideration.cases_received"),
    ]
    rows.write_text('{"start": 0, "end": 2, "label": "AGENCY"}\n', encoding="utf-8")
    assert main(["links", "predict", "--spans", str(rows)]) == 2  # document offsets need --text
