"""Hand-annotated sentences (per the maintainers' annotation decisions) as a fixture for the rules.

The expected spans were written by hand from the decisions, not copied from the rules' output, so
the precision/recall printed by ``python tests/test_rules_cases.py`` is an honest (small) measure.
"""

from __future__ import annotations

import pytest

from fazhi_ner.rules import annotate
from fazhi_ner.seeds import load_documents
from fazhi_ner.spans import Span

A, N, IND = "AGENCY", "INITIATIVE", "INDICATOR"

CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # gaotai-2022
    (
        "县政府党组会议、常务会议带头落实学法制度,开展会前学法21次。",
        [("县政府党组会议", A), ("常务会议", A), ("开展会前学法21次", IND)],
    ),
    (
        "制定印发《关于健全完善县直部门(单位)法治建设工作机制的指导意见》《高台县法治建设绩效考评实施细则》,对9个镇、27个重点执法部门的法治建设情况开展了专项督查,切实推动法治政府建设走深走实。",
        [
            ("《关于健全完善县直部门(单位)法治建设工作机制的指导意见》", N),
            ("《高台县法治建设绩效考评实施细则》", N),
            ("对9个镇", IND),
            ("27个重点执法部门", IND),
        ],
    ),
    (
        "部门领导干部专题学习宪法100 多场次,举办专题辅导讲座130 多场次。",
        [("专题学习宪法100 多场次", IND), ("举办专题辅导讲座130 多场次", IND)],
    ),
    (
        "开展“疫情防控、法治同行”“乡村振兴·法治同行”“法治文化下乡”等活动,发放印制法律读本、法治宣传彩页6.9万册,普法口杯15万个,围裙、抽纸、普法扑克等宣传品3.3万个。",
        [
            ("“疫情防控、法治同行”", N),
            ("“乡村振兴·法治同行”", N),
            ("“法治文化下乡”", N),
            ("发放印制法律读本、法治宣传彩页6.9万册", IND),
            ("普法口杯15万个", IND),
            ("围裙、抽纸、普法扑克等宣传品3.3万个", IND),
        ],
    ),
    (
        "制定印发《高台县人民政府外聘法律顾问工作规则》,选聘7名律师为第四届县政府法律顾问,有效发挥法律顾问在重大行政决策中的作用,全年共审查县政府协议合同等15件,列席常务会议21次,提出有质量的法律意见建议26份,决策程序日趋规范。",
        [
            ("《高台县人民政府外聘法律顾问工作规则》", N),
            ("选聘7名律师", IND),
            ("县政府", A),
            ("审查县政府协议合同等15件", IND),
            ("列席常务会议21次", IND),
            ("提出有质量的法律意见建议26份", IND),
        ],
    ),
    (
        "严格落实行政执法“三项制度”,在“信用中国(甘肃)”网站公示“双公示”信息28688条。",
        [("“三项制度”", N), ("“信用中国(甘肃)”", N), ("公示“双公示”信息28688条", IND)],
    ),
    ("充分发挥人大监督职能作用,135名人大代表参加执法检查3次。", [("135名人大代表", IND), ("参加执法检查3次", IND)]),
    (
        "在“12345”政务服务便民热线平台接听群众来电2550个,受理12345热线投诉226件,办结率100%。",
        [
            ("“12345”政务服务便民热线平台", N),
            ("接听群众来电2550个", IND),
            ("受理12345热线投诉226件", IND),
            ("办结率100%", IND),
        ],
    ),
    (
        "全年共受理行政复议案件16件,办结16件(包括上年结转2件),其中终止6件,维持8件,撤销2件。",
        [
            ("受理行政复议案件16件", IND),
            ("办结16件", IND),
            ("上年结转2件", IND),
            ("终止6件", IND),
            ("维持8件", IND),
            ("撤销2件", IND),
        ],
    ),
    (
        "矛盾纠纷“四级七天”调解法入选全国乡村治理典型案例,并被市委政法委在全市推广。",
        [("“四级七天”", N), ("市委政法委", A)],
    ),
    ("“一庭三所联动+”工作法成为全国社会治理100个创新案例之一。", [("“一庭三所联动+”工作法", N)]),
    # jianghai-2022
    (
        "全区普法和依法治理工作在全省127个县(市、区、功能区)中并列第13位,1人获全省依法治省先进个人称号。",
        [("并列第13位", IND), ("1人获全省依法治省先进个人称号", IND)],
    ),
    (
        "区政府外聘法律顾问参加重大项目研讨会议4次,出具法律意见21份,充分发挥法律顾问“外脑”作用,进一步促进了行政决策科学化、法治化。",
        [("区政府", A), ("参加重大项目研讨会议4次", IND), ("出具法律意见21份", IND)],
    ),
    (
        "及时向区人大及其常委会报告工作、向区政协通报政情,全年办理市、区两级人大建议和政协提案248件,办理满意率达100%。",
        [("区人大", A), ("区政协", A), ("办理市、区两级人大建议和政协提案248件", IND), ("办理满意率达100%", IND)],
    ),
    ("全区信访总量同比下降14.04%。", [("信访总量同比下降14.04%", IND)]),
    ("2.持续推进“放管服”改革。", [("“放管服”改革", N)]),
    ("常态化开展国家机关“谁执法谁普法”年度履职报告评议工作,提高评议质量。", [("“谁执法谁普法”", N)]),
    # xianju-2023
    ("2023年共审查县政府常务会议、县长办公会议议题131个。", [("审查县政府常务会议、县长办公会议议题131个", IND)]),
    (
        "2023年行政争议调解中心诉前化解行政争议16件,诉中协助化解行政争议47件,复议引流7件。",
        [
            ("行政争议调解中心", A),
            ("诉前化解行政争议16件", IND),
            ("诉中协助化解行政争议47件", IND),
            ("复议引流7件", IND),
        ],
    ),
    (
        "五是落实行政败诉问责制度。",
        [],
    ),
    (
        "发现不作为、乱作为案件一律移送县纪委(县监委),并抄送县委组织部进行审查,2023年移送败诉案件5件。",
        [("县纪委", A), ("县监委", A), ("县委组织部", A), ("移送败诉案件5件", IND)],
    ),
    (
        "仙居县旅游纠纷人民调解委员会才华调解工作室被命名为省级金牌人民调解工作室。",
        [("仙居县旅游纠纷人民调解委员会", A)],
    ),
    ("截至目前,“守法贷”已发放2620户、4.05亿元。", [("“守法贷”", N), ("发放2620户", IND), ("4.05亿元", IND)]),
    # heishui-2022
    (
        "开展县委常委会会前学法次、县政府常务会会前学法16次。",
        [("县委常委会", A), ("县政府常务会", A), ("会前学法16次", IND)],
    ),
    ("三是深入推进“互联网+监管”平台。", [("“互联网+监管”平台", N)]),
    (
        "整合检察互联网平台,构建集“检察服务、检务公开、检察宣传、监督评议”于一体的12309检察服务公共平台,建立起“一站式”检察服务新模式。",
        [("12309检察服务公共平台", N), ("“一站式”检察服务新模式", N)],
    ),
    (
        "同时,积极开展赋权乡镇森林草原防火行政处罚权工作培训会,15个乡镇、县林草局45名工作人员参加培训,指导督促乡镇落实赋权工作的执法机制相关制度的制定和执行。",
        [("15个乡镇", IND), ("县林草局", A), ("45名工作人员", IND)],
    ),
    # alashan-hitech-2022
    (
        "一是成立高新区、示范区党工委全面依法治区委员会及协调小组,明确机构、职责、组成人员及联络员,切实发挥统筹调度、协调各方作用。",
        [("高新区、示范区党工委全面依法治区委员会", A)],
    ),
    (
        "二是组织73名执法人员参加《中华人民共和国行政处罚法》专题培训考试,不断提升执法人员法治水平。",
        [("组织73名执法人员", IND), ("《中华人民共和国行政处罚法》", N)],
    ),
    (
        "三是对2021年行政执法案卷进行评查,抽查5个部门60份案卷,对查出的6条问题进行通报并完成整改。",
        [("抽查5个部门", IND), ("60份案卷", IND), ("对查出的6条问题进行通报", IND)],
    ),
    (
        "全面实施“先照后证”“多证合一”措施,依托“一网通办”拓宽审批服务“绿色通道”,2022年新增市场主体732户,增加从业人员626人,为新办企业免费刻章98套。",
        [
            ("“先照后证”", N),
            ("“多证合一”", N),
            ("“一网通办”", N),
            ("新增市场主体732户", IND),
            ("增加从业人员626人", IND),
            ("为新办企业免费刻章98套", IND),
        ],
    ),
    (
        "高新区、示范区承办盟12345政务服务便民热线转派工单1360件,按期签收率99.3%、按期办结率98.2%、解决率90.7%、回访满意率92.6%。",
        [
            ("承办盟12345政务服务便民热线转派工单1360件", IND),
            ("按期签收率99.3%", IND),
            ("按期办结率98.2%", IND),
            ("解决率90.7%", IND),
            ("回访满意率92.6%", IND),
        ],
    ),
    (
        "严格落实领导干部学法制度,组织42家单位862人参加“法宣在线”平台学习。",
        [("组织42家单位", IND), ("862人", IND), ("“法宣在线”平台", N)],
    ),
    (
        "高新区及时安排部署整改工作,主动认领五个方面20个问题,制定整改台账,明确完成时限,细化整改措施61条,已全部完成整改。",
        [("认领五个方面", IND), ("20个问题", IND), ("细化整改措施61条", IND)],
    ),
]


def expected_spans(sentence: str, items: list[tuple[str, str]]) -> set[Span]:
    """Locate each expected text left to right in the sentence."""
    spans: set[Span] = set()
    cursor = 0
    for text, label in items:
        at = sentence.find(text, cursor)
        assert at >= 0, f"{text!r} not found after {cursor} in {sentence!r}"
        spans.add(Span(at, at + len(text), label, text))
        cursor = at + len(text)
    return spans


def score() -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per label and overall, exact span+label match."""
    counts: dict[str, list[int]] = {}
    for sentence, items in CASES:
        gold = expected_spans(sentence, items)
        predicted = set(annotate(sentence))
        for label in (A, N, IND, "ALL"):
            g = {s for s in gold if label in ("ALL", s.label)}
            p = {s for s in predicted if label in ("ALL", s.label)}
            row = counts.setdefault(label, [0, 0, 0])
            row[0] += len(g & p)
            row[1] += len(p)
            row[2] += len(g)
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def test_cases_are_real_sentences() -> None:
    texts = "\n".join(doc.text for doc in load_documents())
    for sentence, _ in CASES:
        assert sentence in texts, sentence


@pytest.mark.parametrize("sentence,items", CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_expected_spans_are_well_formed(sentence: str, items: list[tuple[str, str]]) -> None:
    spans = expected_spans(sentence, items)
    assert len(spans) == len(items)


def test_rules_quality_floor() -> None:
    """A regression floor on the hand cases (measured values are printed by running this file)."""
    tp, predicted, gold = score()["ALL"]
    assert gold >= 80
    assert tp / predicted >= 0.75
    assert tp / gold >= 0.75


if __name__ == "__main__":
    for label, (tp, predicted, gold) in score().items():
        p = tp / predicted if predicted else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{label:10s} tp={tp:3d} pred={predicted:3d} gold={gold:3d} P={p:.3f} R={r:.3f} F1={f:.3f}")
