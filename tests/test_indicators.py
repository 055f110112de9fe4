"""INDICATOR value normalisation: hand-checked corpus cases, tricky synthetic cases, properties."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_ner.indicators import KINDS, Reading, read_indicator, unit_of

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
W, Y = 1e4, 1e8

# (text taken verbatim from seeds/*.txt, value, raw_value, unit, multiplier, modifier, kind)
CORPUS = [
    ("开展会前学法21次", 21.0, "21", "次", 1, None, "count"),
    ("部门领导干部专题学习宪法100 多场次", 100.0, "100 多", "场次", 1, "多", "count"),
    ("举办专题辅导讲座130 多场次", 130.0, "130 多", "场次", 1, "多", "count"),
    ("组织5300名国家", 5300.0, "5300", "名", 1, None, "count"),
    ("开展集中宣传活动180多场次", 180.0, "180多", "场次", 1, "多", "count"),
    ("组织“法律八进”活动300 多场次", 300.0, "300 多", "场次", 1, "多", "count"),
    ("法治宣传彩页6.9万册", 69000.0, "6.9万", "册", W, None, "count"),
    ("普法口杯15万个", 150000.0, "15万", "个", W, None, "count"),
    ("普法扑克等宣传品3.3万个", 33000.0, "3.3万", "个", W, None, "count"),
    ("推送法治信息548 条", 548.0, "548", "条", 1, None, "count"),
    ("发送手机短信15 万余条", 150000.0, "15 万余", "条", W, "余", "count"),
    ("选聘7名律师", 7.0, "7", "名", 1, None, "count"),
    ("列席常务会议21次", 21.0, "21", "次", 1, None, "count"),
    ("“双公示”信息28688条", 28688.0, "28688", "条", 1, None, "count"),
    ("各行政执法部门共自查案卷708宗", 708.0, "708", "宗", 1, None, "count"),
    ("集中评查执法案卷24卷", 24.0, "24", "卷", 1, None, "count"),
    ("受理投诉举报3起", 3.0, "3", "起", 1, None, "count"),
    ("全县通过行政执法资格考试963人", 963.0, "963", "人", 1, None, "count"),
    ("合格率99.3%", 99.3, "99.3", "%", 1, None, "percentage"),
    ("检查各类生产经营单位812户(次)", 812.0, "812", "户次", 1, None, "count"),
    ("整改率96%", 96.0, "96", "%", 1, None, "percentage"),
    ("检查各类文化旅游市场经营单位625家次", 625.0, "625", "家次", 1, None, "count"),
    ("检查运输车辆215辆", 215.0, "215", "辆", 1, None, "count"),
    ("卸载货物900多吨", 900.0, "900多", "吨", 1, "多", "count"),
    ("罚没款32.12万元", 321200.0, "32.12万", "元", W, None, "money"),
    ("梳理公布“两轻一免”清单562项", 562.0, "562", "项", 1, None, "count"),
    ("累计办理柔性执法案件1.3万件", 13000.0, "1.3万", "件", W, None, "count"),
    ("总体进驻率83.66%", 83.66, "83.66", "%", 1, None, "percentage"),
    ("“跨省通办”“省内通办”清单75项", 75.0, "75", "项", 1, None, "count"),
    ("一件事一次办清单事项51项", 51.0, "51", "项", 1, None, "count"),
    ("受理12345热线投诉226件", 226.0, "226", "件", 1, None, "count"),
    ("办结率100%", 100.0, "100", "%", 1, None, "percentage"),
    ("办理各类政务服务事项107810件", 107810.0, "107810", "件", 1, None, "count"),
    ("累计完成“个转企”28户", 28.0, "28", "户", 1, None, "count"),
    ("帮助企业融资1.68亿元", 168000000.0, "1.68亿", "元", Y, None, "money"),
    ("发布抽查计划任务87批次", 87.0, "87", "批次", 1, None, "count"),
    ("抽查市场主体784户次", 784.0, "784", "户次", 1, None, "count"),
    ("行政机关负责人出庭应诉率达100%", 100.0, "100", "%", 1, "达", "percentage"),
    ("2022年全县共调处纠纷2136件", 2136.0, "2136", "件", 1, None, "count"),
    ("调解成功率99.4 %", 99.4, "99.4", "%", 1, None, "percentage"),
    ("挽回经济损失360万元", 3600000.0, "360万", "元", W, None, "money"),
    ("解答各类法律咨询674人(次", 674.0, "674", "人", 1, None, "count"),
    ("培养“法律明白人”575 名", 575.0, "575", "名", 1, None, "count"),
    ("培育“学法用法示范户”68 户", 68.0, "68", "户", 1, None, "count"),
    ("全区市场主体达45914户", 45914.0, "45914", "户", 1, "达", "count"),
    ("及时回收职权264项", 264.0, "264", "项", 1, None, "count"),
    ("实质性化解率达94.4%", 94.4, "94.4", "%", 1, "达", "percentage"),
    ("全区信访总量同比下降14.04%", 14.04, "14.04", "%", 1, "下降", "change"),
    ("查阅26763次", 26763.0, "26763", "次", 1, None, "count"),
    ("提供法律服务180余次", 180.0, "180余", "次", 1, "余", "count"),
    ("县长办公会议议题131个", 131.0, "131", "个", 1, None, "count"),
    ("完成行政合同的合法性审查及备案2959件", 2959.0, "2959", "件", 1, None, "count"),
    ("共参训502人次", 502.0, "502", "人次", 1, None, "count"),
    ("县跨部门联合监管率为42.21%", 42.21, "42.21", "%", 1, None, "percentage"),
    ("累计发起“综合查一次”任务数161个", 161.0, "161", "个", 1, None, "count"),
    ("组织“法治夜谈”14期", 14.0, "14", "期", 1, None, "count"),
    ("答各类法律咨询3400余人次", 3400.0, "3400余", "人次", 1, "余", "count"),
    ("全县律师万人比达3.06", 3.06, "3.06", None, 1, "达", "other"),
    ("受众达30万余人次", 300000.0, "30万余", "人次", W, "达+余", "count"),
    ("受众达万余人", 10000.0, "万余", "人", W, "达+余", "count"),
    ("培训2200余人", 2200.0, "2200余", "人", 1, "余", "count"),
    ("开展习近平法治思想学习研讨80余场次", 80.0, "80余", "场次", 1, "余", "count"),
    ("共计宣传2万余人次", 20000.0, "2万余", "人次", W, "余", "count"),
    ("产品3000余份", 3000.0, "3000余", "份", 1, "余", "count"),
    ("及时完成清单认领1128项(子项4320)", 1128.0, "1128", "项", 1, None, "count"),
    ("监管行为覆盖率达100%", 100.0, "100", "%", 1, "达", "percentage"),
    ("发布普法短信20万余条", 200000.0, "20万余", "条", W, "余", "count"),
    ("受教育6万余人次", 60000.0, "6万余", "人次", W, "余", "count"),
    ("2022年1-10月各级各类调委会共开展矛盾纠纷排查1136次", 1136.0, "1136", "次", 1, None, "count"),
    ("庭率92%", 92.0, "92", "%", 1, None, "percentage"),
    ("新办企业免费刻章98套", 98.0, "98", "套", 1, None, "count"),
    ("务服务事项“全程网办”率98.21%", 98.21, "98.21", "%", 1, None, "percentage"),
    ("际成交金额13554.84万元", 135548400.0, "13554.84万", "元", W, None, "money"),
    ("当事人避免和挽回经济损失156.91万元", 1569100.0, "156.91万", "元", W, None, "money"),
    ("增认证用户700余户", 700.0, "700余", "户", 1, "余", "count"),
    ("发放宣传材料20000余份", 20000.0, "20000余", "份", 1, "余", "count"),
    ("率先实现村(社区)24小时", 24.0, "24", "小时", 1, None, "count"),
    ("主动认领五个方面", 5.0, "五", "个", 1, None, "count"),
    ("三个街道平台", 3.0, "三", "个", 1, None, "count"),
    ("满意度总体评价在全市综合排名第二", 2.0, "二", None, 1, None, "rank"),
    ("我区获奖企业数量居全市第一", 1.0, "一", None, 1, None, "rank"),
    ("(市、区、功能区)中并列第13位", 13.0, "13", "位", 1, "并列", "rank"),
]

# Texts (verbatim from the corpus) that hold no single readable value.
CORPUS_UNREADABLE = [
    "开展“宪法十进”宣传活动",
    "“守法贷”已发放2620户、4.05亿元",
    "其中终止6件,维持8件,撤销2件",
    "乡镇调委会15个,113人",
    "组织42家单位862人参加",
    "严格落实行政执法“三项制度”",
    "市场监管十大专项执法",
    "法治建设第一责任人",
    "选聘7名律师为第四届县政府",  # 7名 is read; see test below
    "建成“1+3+63+N”",
    "2022年法治政府建设",
    "成文日期 2024-02-08",
    "法律八进",
    "进入全省第一梯队",
    "仙居县行政诉讼败诉率连续两年下降",
    "全县律师万人比",
    "《法治政府建设实施纲要(2021-2025年)》",
    "在“12345”政务服务便民热线平台",
    "采用“1+3+N”模式",
    "审计监督等进行1+N人",
]


def _corpus() -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))


def test_corpus_cases_are_verbatim() -> None:
    corpus = _corpus()
    missing = [case[0] for case in CORPUS if case[0] not in corpus]
    missing += [text for text in CORPUS_UNREADABLE if text not in corpus]
    assert missing == []
    assert len(CORPUS) >= 60


@pytest.mark.parametrize(("text", "value", "raw", "unit", "multiplier", "modifier", "kind"), CORPUS)
def test_corpus_reading(
    text: str, value: float, raw: str, unit: str | None, multiplier: float, modifier: str | None, kind: str
) -> None:
    reading = read_indicator(text)
    assert reading == Reading(value, raw, unit, float(multiplier), modifier, kind, None)
    assert unit_of(text) == unit


@pytest.mark.parametrize("text", [text for text in CORPUS_UNREADABLE if "第四届" not in text])
def test_corpus_unreadable(text: str) -> None:
    reading = read_indicator(text)
    assert reading.kind == "other"
    assert reading.value is None
    assert reading.unit is None


def test_ordinal_is_not_a_count_but_the_count_is_read() -> None:
    reading = read_indicator("选聘7名律师为第四届县政府")
    assert (reading.value, reading.unit, reading.kind) == (7.0, "名", "count")


SYNTHETIC = [
    ("三百余件", 300.0, "三百余", "件", 1, "余", "count", None),
    ("两万多", 20000.0, "两万多", None, W, "多", "other", None),
    ("1,234 项", 1234.0, "1,234", "项", 1, None, "count", None),
    ("１２３件", 123.0, "123", "件", 1, None, "count", None),
    ("开展培训3-5次", 3.0, "3-5", "次", 1, None, "count", 5.0),
    ("开展培训3至5次", 3.0, "3至5", "次", 1, None, "count", 5.0),
    ("开展培训三至五次", 3.0, "三至五", "次", 1, None, "count", 5.0),
    ("投入3-5万元", 30000.0, "3-5万", "元", W, None, "money", 50000.0),
    ("100 多场次", 100.0, "100 多", "场次", 1, "多", "count", None),
    ("合格率百分之九十八点二", 98.2, "百分之九十八点二", "%", 1, None, "percentage", None),
    ("覆盖率达到百分之百", 100.0, "百分之百", "%", 1, "达到", "percentage", None),
    ("合格率９９．３％", 99.3, "99.3", "%", 1, None, "percentage", None),
    ("同比增长约20%", 20.0, "20", "%", 1, "上升+约", "change", None),
    ("案件数量较上年减少120件", 120.0, "120", "件", 1, "下降", "change", None),
    ("环比上升3个百分点", 3.0, "3", "个百分点", 1, "上升", "change", None),
    ("提高2个百分点", 2.0, "2", "个百分点", 1, None, "percentage", None),
    ("减少涉企检查603次", 603.0, "603", "次", 1, None, "count", None),
    ("投入资金300多万元", 3000000.0, "300多万", "元", W, "多", "money", None),
    ("三十万元", 300000.0, "三十万", "元", W, None, "money", None),
    ("十二万三千件", 123000.0, "十二万三千", "件", 1, None, "count", None),
    ("培训100人以上", 100.0, "100", "人", 1, "以上", "count", None),
    ("约3千人", 3000.0, "3千", "人", 1e3, "约", "count", None),
    ("修建道路5千米", 5.0, "5", "千米", 1, None, "count", None),
    ("排名前三", 3.0, "三", None, 1, "前", "rank", None),
    ("进入全省前10名", 10.0, "10", "名", 1, "前", "rank", None),
    ("获得第2名", 2.0, "2", "名", 1, None, "rank", None),
    ("发放5000余手册", 5000.0, "5000余", None, 1, "余", "other", None),
    ("受理咨询200余件", 200.0, "200余", "件", 1, "余", "count", None),
]


@pytest.mark.parametrize(("text", "value", "raw", "unit", "multiplier", "modifier", "kind", "high"), SYNTHETIC)
def test_synthetic_reading(
    text: str,
    value: float,
    raw: str,
    unit: str | None,
    multiplier: float,
    modifier: str | None,
    kind: str,
    high: float | None,
) -> None:
    assert read_indicator(text) == Reading(value, raw, unit, float(multiplier), modifier, kind, high)


@pytest.mark.parametrize(
    "text",
    [
        "一是",
        "一体化",
        "一站式",
        "统一",
        "万人比",
        "千企万商",
        "十大专项",
        "落实三项制度",
        "一规划两方案",
        "“八五”普法",
        "“1+3+N”",
        "12345热线",
        "开展“宪法十进”",
        "一次办",
        "最多跑一次",
        "几十件",
        "数百人",
        "同比-3%",
        "1+3个",
        "第二次会议",
        "5G",
        "2022年",
        "近2年",
        "开展培训5-3次",
        "3万5千元",
        "版本1.5.3次",
        "",
        "百分之几",
    ],
)
def test_tricky_unreadable(text: str) -> None:
    reading = read_indicator(text)
    assert (reading.value, reading.kind, reading.unit, reading.raw_value) == (None, "other", None, None)


def test_money_unit_is_yuan_for_wan_and_yi() -> None:
    assert unit_of("罚没款32.12万元") == "元"
    assert unit_of("融资1.68亿元") == "元"
    assert unit_of("没有数字") is None


_NUMERAL_CHARS = set("0123456789０１２３４５６７８９零〇一二三四五六七八九十百千万亿两")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_no_numeral_no_value(text: str) -> None:
    reading = read_indicator(text)
    assert reading.kind in KINDS
    if not (set(text) & _NUMERAL_CHARS):
        assert reading.value is None
        assert reading.kind == "other"


_INDICATOR_ALPHABET = (
    "0123456789.,%％万亿千百十一二三四五六七八九两余多约达同比下降增长次件项人元第名位排前“”()（）-至 率共"
)


@given(st.text(alphabet=_INDICATOR_ALPHABET, max_size=30))
def test_readings_are_well_formed(text: str) -> None:
    reading = read_indicator(text)
    assert reading.kind in KINDS
    if reading.value is None:
        assert reading == Reading(None, None, None, 1.0, None, "other", None)
    else:
        assert math.isfinite(reading.value)
        assert reading.raw_value
        assert math.isfinite(reading.multiplier) and reading.multiplier >= 1
        if reading.range_high is not None:
            assert math.isfinite(reading.range_high) and reading.range_high >= reading.value
        if reading.kind == "money":
            assert reading.unit is not None and reading.unit.endswith("元")
        if reading.kind == "percentage":
            assert reading.unit in ("%", "百分点", "个百分点")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["次", "件", "项", "人次", "场次", "个"]))
def test_arabic_count_round_trip(number: int, unit: str) -> None:
    reading = read_indicator(f"开展活动{number}{unit}")
    assert (reading.value, reading.unit, reading.kind, reading.raw_value) == (float(number), unit, "count", str(number))


@given(st.integers(min_value=1, max_value=99999), st.sampled_from([("万", 1e4), ("亿", 1e8)]))
def test_money_multiplier_round_trip(number: int, word_and_factor: tuple[str, float]) -> None:
    word, factor = word_and_factor
    reading = read_indicator(f"挽回经济损失{number}{word}元")
    assert reading.kind == "money" and reading.unit == "元"
    assert reading.multiplier == factor
    assert reading.value == float(number) * factor
