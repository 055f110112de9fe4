"""Split an agency off the start of a predicted INDICATOR (a decoding step shared by every model).

Why: the guidelines give the agency at the start of a clause its own AGENCY span (``【县审计局|AGENCY】【完成审计项目
23个|INDICATOR】``), but a model that has not seen an agency's name reads it as the metric's subject and swallows it
into one INDICATOR. The agency is found with the rule tagger's matcher (familiar names) or, for unfamiliar ones,
a level prefix (县, 区, a place name…) + a short name + an organisation head (局, 中心, 委员会…), and the split is
made only when what is left still reads as an indicator (it holds a number). The guidelines are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fazhi_ner.rules.gazetteer import PLACE_NAMES
from fazhi_ner.rules.tagger import _AGENCY_RE, _NOT_AGENCY_AFTER, AGENCY, INDICATOR, _alt
from fazhi_ner.spans import Span

_HEADS = ("委员会", "办公室", "服务中心", "中心", "人民法院", "人民检察院", "司法所", "派出所", "大队", "支队", "局")
_NOT_NAME = ("的", "和", "与", "及", "在", "被", "是", "了", "共计", "累计", "完成", "开展", "办理", "提供", "受理", "组织")
_GENERIC = re.compile(
    rf"(?:{_alt([p for p in PLACE_NAMES if p[0] not in '全我两'])}|[县区市州盟旗])"
    rf"(?:(?!{_alt(_NOT_NAME)})[\u4e00-\u9fff]){{1,10}}?(?:{_alt(_HEADS)})"
)
_NUMBER = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万两]")


def agency_prefix(text: str) -> int:
    """Length of an agency name that ``text`` starts with (0 when it does not start with one)."""
    match = _AGENCY_RE.match(text) or _GENERIC.match(text)
    if match is None or _NOT_AGENCY_AFTER.match(text, match.end()):
        return 0
    return match.end()


def split_agency_prefix(spans: Sequence[Span], text: str) -> list[Span]:
    """``spans`` with each INDICATOR that begins with an agency split into an AGENCY and the INDICATOR after it."""
    out: list[Span] = []
    for span in spans:
        cut = agency_prefix(text[span.start : span.end]) if span.label == INDICATOR else 0
        rest = text[span.start + cut : span.end]
        if not cut or len(rest) < 3 or not _NUMBER.search(rest):
            out.append(span)
            continue
        out.append(Span(span.start, span.start + cut, AGENCY, text[span.start : span.start + cut]))
        out.append(Span(span.start + cut, span.end, INDICATOR, rest))
    return out
