"""Unit and property tests of the rule pre-annotator."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.rules import RULES_VERSION, annotate, annotate_document
from fazhi_ner.seeds import load_documents
from fazhi_ner.sentences import split_offsets
from fazhi_ner.spans import validate_spans


def spans_of(text: str) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in annotate(text)]


def check_invariants(text: str, start: int, end: int) -> None:
    spans = annotate(text, start, end)
    validate_spans(spans, text, bounds=(start, end))
    sentences = split_offsets(text, start, end)
    for span in spans:
        assert span.start < span.end
        assert span.text == text[span.start : span.end]
        assert any(a <= span.start and span.end <= b for a, b in sentences), span


_ALPHABET = st.sampled_from(
    list("0123456789０１２３.%％ 　\n。，、；“”《》()（）+-")
    + list("一二三十百千万两亿余多近共第次件人名个项户场万元率达为对与县委政府局中心平台改革法院")
)
_TEXT = st.one_of(st.text(_ALPHABET, max_size=80), st.text(max_size=60))


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.data())
def test_spans_are_flat_in_range_and_inside_sentences(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    check_invariants(text, start, end)
    check_invariants(text, 0, len(text))


def test_version_is_recorded() -> None:
    assert RULES_VERSION.startswith("rules-")


def test_indicator_values_and_units() -> None:
    assert ("开展会前学法21次", "INDICATOR") in spans_of("开展会前学法21次。")
    assert ("发送手机短信15 万余条", "INDICATOR") in spans_of("发送手机短信15 万余条。")
    assert ("合格率99.3%", "INDICATOR") in spans_of("全县通过考试963人,合格率99.3%。")
    assert ("办结率达100%", "INDICATOR") in spans_of("办结率达100%。")
    assert ("帮助企业融资1.68亿元", "INDICATOR") in spans_of("帮助企业融资1.68亿元。")
    assert ("解答各类法律咨询674人(次)", "INDICATOR") in spans_of("解答各类法律咨询674人(次)。")


def test_indicator_scope_words_and_openers() -> None:
    assert spans_of("各行政执法部门共自查案卷708宗。") == [("自查案卷708宗", "INDICATOR")]
    assert spans_of("对18家重点经营单位进行集体约谈。") == [("对18家重点经营单位进行集体约谈", "INDICATOR")]
    assert spans_of("与2家律所签订长期法律顾问合同。") == [("与2家律所签订长期法律顾问合同", "INDICATOR")]
    assert spans_of("检查运输车辆215辆、查处超限超载车辆35辆。") == [
        ("检查运输车辆215辆", "INDICATOR"),
        ("查处超限超载车辆35辆", "INDICATOR"),
    ]


def test_ranks_and_changes() -> None:
    assert ("综合排名第二", "INDICATOR") in spans_of("满意度总体评价在全市综合排名第二。")
    assert spans_of("全区信访总量同比下降14.04%。") == [("信访总量同比下降14.04%", "INDICATOR")]


def test_numbers_that_are_not_values() -> None:
    assert spans_of("成为全国社会治理100个创新案例之一。") == []
    assert spans_of("实现24小时自助服务,近2年政府合同清理。") == []
    assert spans_of("召开县委全面依法治县委员会第五次会议。") == [("县委全面依法治县委员会", "AGENCY")]
    assert spans_of("落实“八五”普法规划。") == [("“八五”普法规划", "INITIATIVE")]
    assert spans_of("开展“一件事一次办”改革。") == [("“一件事一次办”改革", "INITIATIVE")]


def test_initiatives() -> None:
    assert spans_of("制定《高台县法治建设绩效考评实施细则》。") == [
        ("《高台县法治建设绩效考评实施细则》", "INITIATIVE")
    ]
    assert spans_of("坚持发展新时代“枫桥经验”。") == [("“枫桥经验”", "INITIATIVE")]
    assert spans_of("开展2022年民生领域案件查办“铁拳”专项行动。") == [("“铁拳”专项行动", "INITIATIVE")]
    assert spans_of("全面推进“个转企”工作。") == [("“个转企”", "INITIATIVE")]
    assert spans_of("依托甘肃省行政执法综合监督平台。") == [("甘肃省行政执法综合监督平台", "INITIATIVE")]
    # people, slogans and unnamed category platforms are not initiatives
    assert spans_of("培育“金牌调解员”,打通“最后一公里”。") == []
    assert spans_of("坚持“有件必备、有备必审、有错必纠”。") == []
    assert spans_of("运用网络在线学法考试平台。") == []


def test_agencies() -> None:
    assert spans_of("县委、县政府高度重视。") == [("县委", "AGENCY"), ("县政府", "AGENCY")]
    assert spans_of("移送县纪委(县监委)。") == [("县纪委", "AGENCY"), ("县监委", "AGENCY")]
    assert spans_of("全县各部门、各镇、相关单位。") == []
    assert spans_of("县长欧涛作重要讲话。") == []


def test_indicator_absorbs_names() -> None:
    assert spans_of("全年共审查县政府协议合同等15件。") == [("审查县政府协议合同等15件", "INDICATOR")]
    assert spans_of("县政府常务会会前学法16次。") == [("县政府常务会", "AGENCY"), ("会前学法16次", "INDICATOR")]


def test_documents_body_only_and_valid() -> None:
    for doc in load_documents():
        spans = annotate_document(doc)
        validate_spans(spans, doc.text, bounds=(doc.body_start, doc.body_end))
        for span in spans:
            assert not any(a < span.end and span.start < b for a, b in doc.excluded), span
        assert {s.label for s in spans} == {"AGENCY", "INITIATIVE", "INDICATOR"}
