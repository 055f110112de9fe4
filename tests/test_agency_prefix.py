"""Issue 19: an agency at the start of a predicted INDICATOR gets its own AGENCY span; the harness counts the error."""

from __future__ import annotations

import pytest

from fazhi_ner.baselines.form_robustness import full_width, hard_wrap, multiset_f1
from fazhi_ner.baselines.registry import create
from fazhi_ner.baselines.report import absorbed_table, form_table
from fazhi_ner.baselines.rules_model import RulesBaseline
from fazhi_ner.evaluation.error_analysis import ABSORBED, error_table
from fazhi_ner.rules.agency_prefix import split_agency_prefix
from fazhi_ner.spans import Span


@pytest.mark.parametrize(
    ("clause", "agency"),
    [
        ("县审计局完成审计项目23个", "县审计局"),
        ("县综合行政执法局办理行政处罚案件1054件", "县综合行政执法局"),
        ("县公共法律服务中心提供法律咨询8754人次", "县公共法律服务中心"),
        ("县司法局开展会前学法21次", "县司法局"),
    ],
)
def test_an_agency_at_the_start_of_an_indicator_is_split_off(clause: str, agency: str):
    text = f"2023年,{clause}。"
    start = text.index(clause)
    whole = Span(start, start + len(clause), "INDICATOR", clause)
    cut = start + len(agency)
    assert split_agency_prefix([whole], text) == [
        Span(start, cut, "AGENCY", agency),
        Span(cut, whole.end, "INDICATOR", clause[len(agency) :]),
    ]


@pytest.mark.parametrize("clause", ["县级行政机关负责人出庭应诉率100%", "市场主体登记办理12件", "县审计局"])
def test_indicators_without_an_agency_prefix_or_number_are_kept(clause: str):
    span = Span(0, len(clause), "INDICATOR", clause)
    assert split_agency_prefix([span], clause) == [span]


class _OneSpan(RulesBaseline):
    """A stand-in model that reads every clause as one INDICATOR (what the default model did on these)."""

    def predict(self, texts):  # noqa: ANN001, ANN201
        return [[Span(0, len(t) - 1, "INDICATOR", t[:-1])] for t in texts]


def test_every_model_output_goes_through_the_split():
    (result,) = _OneSpan(create("rules").config).predict_scored(["县审计局完成审计项目23个。"])
    assert [(s.label, s.text) for s in result.spans] == [("AGENCY", "县审计局"), ("INDICATOR", "完成审计项目23个")]
    assert len(result.span_scores) == 2


def test_the_harness_counts_indicators_that_begin_with_an_agency():
    text = "县审计局完成审计项目23个。"
    gold = [Span(0, 4, "AGENCY"), Span(4, 13, "INDICATOR")]
    table = error_table([("s-0000", text, gold, [Span(0, 13, "INDICATOR")])])
    assert table.absorbed == 1 and table.absorbed_examples[0].gold == "县审计局/AGENCY"
    assert table.absorbed_examples[0].kind == ABSORBED
    assert error_table([("s-0000", text, gold, gold)]).absorbed == 0


def test_report_tables_for_the_new_figures():
    from dataclasses import replace

    from fazhi_ner.baselines.results import FormRobustness, load
    from fazhi_ner.paths import eval_dir

    committed = load(eval_dir())
    crf = committed.baselines["crf"]

    def absorbed(count: float | None):  # noqa: ANN202
        return replace(crf, cross_validation=replace(crf.cross_validation, agency_absorbed=count))

    b = {"crf": absorbed(2), "old": absorbed(None)}  # "old": results recorded before the count existed
    assert "| crf | 2 |" in absorbed_table(b) and "| old | - |" in absorbed_table(b)
    block = FormRobustness("d", ["a", "b"], {}, {"crf": {"a": 1.0, "b": 0.5}})
    assert "| crf | 1.000 | 0.500 |" in form_table(replace(committed, form_robustness=block))
    assert form_table(replace(committed, form_robustness=None)) == [] and absorbed_table({"old": absorbed(None)}) == []


def test_form_variants_and_the_multiset_f1():
    assert full_width("a,b;(c)") == "a，b；（c）"
    assert hard_wrap("x" * 80, 37).split("\n") == ["x" * 37, "x" * 37, "x" * 6]
    a = [Span(0, 3, "AGENCY", "县司法局"), Span(5, 9, "INDICATOR", "学法\n21次")]
    assert multiset_f1(a, [Span(9, 12, "AGENCY", "县司法局"), Span(1, 2, "INDICATOR", "学法21次")]) == 1.0
    assert multiset_f1(a, a[:1]) == pytest.approx(2 / 3, abs=1e-4)


def test_the_form_measure_tags_like_fazhi_tag():
    import fazhi_ner
    from fazhi_ner.baselines.form_robustness import robustness, tag
    from fazhi_ner.tagging.models import get_model

    text = "2024年,县司法局开展会前学法21次,行政复议纠错率下降3.5%。\n县政府常务会议审议通过《测试县法治政府建设实施方案》。\n"
    model = get_model("rules")
    assert tag(hard_wrap(full_width(text), 11), model) == fazhi_ner.tag(hard_wrap(full_width(text), 11), model)
    assert robustness(model, text) == {name: 1.0 for name in robustness(model, text)}
