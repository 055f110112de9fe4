from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from fazhi_ner.annotation.agreement import compare_documents, compare_sentence, summarise
from fazhi_ner.annotation.stats import ALL, corpus_stats
from fazhi_ner.cli import main
from fazhi_ner.formats.review import render_document
from fazhi_ner.seeds import get_document
from fazhi_ner.spans import Span

TEXT = "县政府常务会议开展会前学法21次,发放“法律八进”读本"


def S(text: str, label: str, nth: int = 0) -> Span:
    start = TEXT.index(text)
    return Span(start, start + len(text), label, text)


def test_hand_counted_sentence() -> None:
    a = [S("县政府常务会议", "AGENCY"), S("开展会前学法21次", "INDICATOR"), S("“法律八进”", "INITIATIVE")]
    b = [S("县政府", "AGENCY"), S("会前学法21次", "INDICATOR"), S("“法律八进”读本", "AGENCY")]
    counts, problems = compare_sentence("s", "d", TEXT, a, b)
    assert counts.exact == {}
    assert counts.in_a == {"AGENCY": 1, "INDICATOR": 1, "INITIATIVE": 1}
    assert counts.partial == 2  # AGENCY and INDICATOR overlap with the same label
    assert sorted(p.kind for p in problems) == ["boundary", "boundary", "label_and_boundary"]
    counts2, problems2 = compare_sentence("s", "d", TEXT, a, a[:2])
    assert counts2.exact == {"AGENCY": 1, "INDICATOR": 1}
    assert [p.kind for p in problems2] == ["only_in_a"]


def test_summary_matches_hand_figures_and_sklearn_kappa() -> None:
    a = [S("县政府常务会议", "AGENCY"), S("开展会前学法21次", "INDICATOR"), S("“法律八进”", "INITIATIVE")]
    b = [S("县政府常务会议", "AGENCY"), S("会前学法21次", "INDICATOR")]
    counts, problems = compare_sentence("s", "d", TEXT, a, b)
    summary = summarise([counts], problems, resamples=50)
    assert summary.strict.micro.f1 == pytest.approx(2 * 1 / (3 + 2), abs=1e-4)
    assert summary.strict.per_label["AGENCY"].f1 == 1.0
    assert summary.partial.f1 == pytest.approx(2 * 2 / 5, abs=1e-4)
    expected = cohen_kappa_score(counts.tags_a, counts.tags_b)
    assert summary.kappa_char_iob2.kappa == pytest.approx(expected, abs=1e-4)
    assert summary.disagreements == {
        "boundary": 1,
        "label": 0,
        "label_and_boundary": 0,
        "only_in_a": 1,
        "only_in_b": 0,
    }


def test_identical_passes_agree_perfectly_with_degenerate_ci() -> None:
    doc = get_document("gaotai-2022")
    start = doc.text.index("开展会前学法21次")
    spans = {doc.doc_id: [Span(start, start + 9, "INDICATOR", "开展会前学法21次")]}
    counts, problems = compare_documents([doc], spans, spans)
    summary = summarise(counts, problems, resamples=100)
    assert problems == []
    assert summary.strict.micro.f1 == 1.0
    # one span in the document: resamples of sentences without it score 0 (F1 of two empty sets is 0, as in
    # seqeval), so the interval reaches 0; every resample with the span scores 1
    assert summary.strict.micro.ci == (0.0, 1.0)
    assert summary.kappa_char_iob2.kappa == 1.0


def test_cli_agreement_and_stats_write_files(tmp_path: Path) -> None:
    doc = get_document("gaotai-2022")
    start = doc.text.index("开展会前学法21次")
    first = [Span(start, start + 9, "INDICATOR", "开展会前学法21次")]
    second = [Span(start + 2, start + 9, "INDICATOR", "会前学法21次")]
    for name, spans in (("a", first), ("b", second)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{doc.doc_id}.txt").write_text(render_document(doc, spans), encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            ["annotate", "agreement", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out), "--bootstrap", "20"]
        )
        == 0
    )
    data = json.loads((out / "agreement.json").read_text(encoding="utf-8"))
    assert data["docs"] == ["gaotai-2022"]
    assert data["strict"]["micro"]["f1"] == 0.0 and data["partial"]["f1"] == 1.0
    assert "boundary" in (out / "agreement.md").read_text(encoding="utf-8")
    assert main(["annotate", "agreement", str(tmp_path / "a"), str(tmp_path / "nowhere"), "--out", str(out)]) == 2


def test_stats_rows() -> None:
    doc = get_document("gaotai-2022")
    start = doc.text.index("开展会前学法21次")
    table = corpus_stats([doc], {doc.doc_id: [Span(start, start + 9, "INDICATOR", "开展会前学法21次")]})
    row = table[doc.doc_id]["INDICATOR"]
    assert row["spans"] == 1 and row["max_span_length"] == 9
    assert table[ALL][ALL]["spans"] == 1
    assert table[doc.doc_id]["AGENCY"]["share_sentences_with_span"] == 0.0
    assert round(float(row["share_sentences_with_span"]) * row["sentences"]) == 1


def test_preannotation_retention_counts() -> None:
    from fazhi_ner.annotation.stats import preannotation_retention

    rules = {"d": [Span(0, 2, "AGENCY"), Span(3, 5, "INDICATOR"), Span(6, 8, "INITIATIVE")]}
    gold = {"d": [Span(0, 2, "AGENCY"), Span(3, 6, "INDICATOR")]}
    rows = preannotation_retention(rules, gold)
    assert rows["d"] == {"proposed": 3, "gold": 2, "kept_unchanged": 1, "not_kept": 2, "added_or_changed": 1}
    assert rows[ALL]["kept_unchanged"] == 1
