"""Read the quantitative value out of an INDICATOR span (开展会前学法21次 -> 21 次).

The dataset builder attaches a :class:`Reading` to every INDICATOR so that users can compare
results across reports. A wrong number is worse than no number, so the reader is deliberately
conservative: whenever it is not sure it returns ``kind="other"`` with ``value=None``.

Decisions (pinned by ``tests/test_indicators*.py``):

* **Units.** ``unit`` is the classifier/measure word written after the number (次, 件, 场次, 人次,
  个, %, 元 …). A trailing ``(次)`` is folded in (``812户(次)`` -> 户次). ``％`` and ``百分之…`` give
  ``"%"``. Nouns after the classifier are not part of the unit (``五个方面`` -> 个).
* **Multipliers.** ``multiplier`` is the magnitude word written between the number and the unit
  (万 1e4, 亿 1e8, 千 1e3, 百万 1e6, 千万 1e7 …) and ``value`` already includes it
  (``6.9万册`` -> 69000.0, multiplier 1e4). For Chinese numerals only a trailing 万/亿 counts as
  the multiplier (``三十万`` -> 1e4); 万 inside a numeral is just part of it (``十二万三千`` -> 1).
* **Money.** ``万元``/``亿元`` are read as unit ``"元"`` with multiplier 1e4/1e8, so ``value`` is
  always in yuan (``罚没款32.12万元`` -> 321200.0 元). ``kind="money"`` whenever the unit ends in 元.
* **Modifiers.** Approximation/bound words: before the number (约, 近, 超过, 逾, 达, 至少 …), after
  it (多, 余) and after the unit (以上, 以下, 左右 …). Several are joined with ``"+"`` in text order,
  e.g. ``"约+余"``.
* **Change.** ``同比/环比/较上年…`` + a direction word right before the number gives
  ``kind="change"``. The value keeps the **positive magnitude as written** and the direction goes in
  ``modifier``, normalised to ``"上升"`` or ``"下降"`` (first, before any other modifier):
  ``信访总量同比下降14.04%`` -> value 14.04, unit %, modifier "下降".
* **Rank.** 第N位 / 第N名 / 排名第N / 居…第N / 前N名 give ``kind="rank"`` (unit 位/名 or None,
  modifier 并列 or 前). Other ordinals (第四届, 第二次会议, 第一责任人) are never values.
* **Ranges.** ``3-5次``/``3至5次``/``三至五次``: value is the low end, ``range_high`` the high end.
* **Not values.** Numbers inside quotes or book-title marks (“八五”, “1+3+N”, 《…2021-2025年》),
  numbers glued to ``+`` or Latin letters (1+N, 5G), dates and years (2022年, 1-10月), and codes
  followed by a noun (12345热线). Chinese numerals are read only when directly followed by a
  classifier (or 多/余), so 一是, 一体化, 统一, 万人比, 十大专项 are not numbers; a lone 一 is never
  read as a count (一次办, 一件事), and a few fixed political phrases (三项制度 …) are skipped.
* **Several numbers.** Candidates are tiered: Arabic numbers outside parentheses, then Chinese
  numerals outside parentheses, then anything inside parentheses. The first tier with a
  number+unit decides: exactly one -> it is read; two or more -> ``kind="other"``, value None
  (``2620户、4.05亿元``). So ``办结16件(包括上年结转2件)`` reads 16 and ``认领五个方面20个问题`` reads 20.
* **No unit.** A number without classifier is read only when it is unambiguous: a single number
  with 多/余 (``两万多``) or a single Arabic number ending the text (``律师万人比达3.06``). Such
  readings have ``kind="other"`` *with* a value and ``unit=None``; ``kind="other"`` with
  ``value=None`` means "could not read".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

KINDS = ("count", "percentage", "money", "rank", "change", "other")


@dataclass(frozen=True)
class Reading:
    """The quantitative value of one INDICATOR text; see the module docstring for the rules."""

    value: float | None
    raw_value: str | None
    unit: str | None
    multiplier: float
    modifier: str | None
    kind: str
    range_high: float | None


UNREADABLE = Reading(None, None, None, 1.0, None, "other", None)

# One-to-one character mapping so offsets stay valid.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％～－", "0123456789.%~-")

_AR = r"[0-9]+(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CN_CHARS = "零〇一二三四五六七八九十百千万亿两"
_CN = rf"[{_CN_CHARS}]+(?:点[零〇一二三四五六七八九]+)?"
# 千米/千克/千瓦 and 百分点 are units, not multipliers.
_MULT = r"万亿|千万|百万|十万|亿|万|千(?![米克瓦])|百(?!分)"
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}
_UNIT_WORDS = (
    "个百分点 百分点 平方公里 平方米 立方米 千瓦时 千米 千克 公里 公斤 公顷 人次 户次 家次 件次 场次 批次 车次 架次 条次 班次 课时 学时 小时 分钟 美元 元 % 倍 次 件 项 人 名 个 条 份 宗 卷 起 "
    "家 户 辆 吨 批 期 部 台 套 册 本 篇 张 场 处 所 座 块 类 种 支 位 天 米 亩 轮 节 堂 盒 瓶 袋 箱 幅 集 组 间 栋 株 棵 头 只 例 笔 封 则 首 门 岁 分 票"
)
_UNITS = sorted(_UNIT_WORDS.split(), key=lambda unit: (-len(unit), unit))
_UNIT = "|".join(re.escape(unit) for unit in dict.fromkeys(_UNITS))
_SEP = r"[-–—~至到]"

_NUMBER = re.compile(
    rf"""(?P<n1>{_AR}|{_CN})\s*(?P<m1>{_MULT})?
    (?:\s*(?P<sep>{_SEP})\s*(?P<n2>{_AR}|{_CN})\s*(?P<m2>{_MULT})?)?
    \s*(?P<mod1>多|余)?\s*(?P<m3>{_MULT})?\s*(?P<mod2>多|余)?\s*(?P<unit>{_UNIT})?""",
    re.VERBOSE,
)
_PERCENT_WORDS = re.compile(rf"百分之(?P<n>{_AR}|[{_CN_CHARS}]+(?:点[零〇一二三四五六七八九]+)?)")
_PRE_MODIFIER_WORDS = "约 近 将近 接近 超过 超 逾 达 达到 高达 多达 至少 不少于 不低于 不足 不到 最高 最多 仅"
_PRE_MODIFIERS = sorted(_PRE_MODIFIER_WORDS.split(), key=lambda word: (-len(word), word))
_POST_UNIT_MODIFIER = re.compile(r"\s*(以上|以下|左右|以内|有余)")
_DATE_FOLLOW = re.compile(r"\s*(?:年|月|日|号|周|届|时(?!长))")
_COMPARISON = re.compile(r"同比|环比|较上年|比上年|较去年|比去年|较同期|比同期|与上年相比|与去年相比|较上一年|比上一年")
_DIRECTIONS = {
    "上升": "上升",
    "增长": "上升",
    "增加": "上升",
    "提高": "上升",
    "提升": "上升",
    "上涨": "上升",
    "增": "上升",
    "下降": "下降",
    "减少": "下降",
    "降低": "下降",
    "下滑": "下降",
    "回落": "下降",
    "减": "下降",
    "降": "下降",
}
_DIRECTION = re.compile("|".join(sorted(_DIRECTIONS, key=lambda word: (-len(word), word))))
# Fixed phrases whose numeral + classifier is part of a name, not a reported quantity.
_FIXED_PHRASES = re.compile(
    "三项制度|两项监督|三个规定|三个务必|两个维护|两个确立|四个意识|四个自信|三个代表|一件事|一次办|跑一次|一次性|一个时期|一张网"
)
# Characters that, right before a Chinese numeral, make it part of an ordinary word
# (第一, 统一, 几十, 数百, 上千, 每万, 之一 …).
_CN_BLOCKERS = frozenset("第每几数若上成之统唯周初星逐万千百")
_AR_BLOCKERS = frozenset("第每")
_SIGNS = frozenset("-−–负")
_OPEN_CLOSE = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("《", "》"), ("〈", "〉"), ("【", "】"))
_PARENS = (("(", ")"), ("（", "）"))
_RANK = re.compile(
    rf"(?P<lead>并列|排名|排在|排位|位居|位列|名列|居于|居|列)?[^第，,。；;、]{{0,8}}?第\s*(?P<n>{_AR}|{_CN})\s*(?P<u>位|名)?"
)
_TOP = re.compile(
    rf"(?P<lead>排名|名列|位居|位列|进入|跻身|居)?[^前，,。；;、]{{0,8}}?前\s*(?P<n>{_AR}|{_CN})\s*(?P<u>位|名)?"
)
_RANK_LEADS = ("排名", "排在", "排位", "位居", "位列", "名列", "居于", "居", "列", "并列")
_CLAUSE_END = frozenset("，,。；;、！!？?）)」』”’》 \t\n")


@dataclass(frozen=True)
class _Candidate:
    start: int
    low: Decimal
    high: Decimal | None
    raw: str
    unit: str | None
    multiplier: Decimal
    modifiers: tuple[str, ...]
    tier: int
    has_unit: bool


class _Unreadable(Exception):
    """Internal: a number is present but cannot be read safely, so the whole text is 'other'."""


def _mask(text: str, pairs: tuple[tuple[str, str], ...]) -> list[bool]:
    """Mark characters enclosed by any of ``pairs``; an unmatched close masks from the start."""
    masked = [False] * len(text)
    for open_, close in pairs:
        depth, start = 0, 0
        for index, char in enumerate(text):
            if char == open_:
                if depth == 0:
                    start = index
                depth += 1
            elif char == close:
                if depth == 0:
                    for inside in range(0, index + 1):
                        masked[inside] = True
                else:
                    depth -= 1
                    if depth == 0:
                        for inside in range(start, index + 1):
                            masked[inside] = True
        if depth > 0:
            for inside in range(start, len(text)):
                masked[inside] = True
    if '"' in text:
        positions = [index for index, char in enumerate(text) if char == '"']
        for first, second in zip(positions[::2], positions[1::2] + [len(text) - 1], strict=False):
            for inside in range(first, second + 1):
                masked[inside] = True
    return masked


def _arabic(raw: str) -> Decimal:
    return Decimal(raw.replace(",", ""))


def _chinese(raw: str) -> tuple[Decimal, Decimal]:
    """Return (number, multiplier) for a Chinese numeral; raise _Unreadable if cn2an cannot read it."""
    multiplier = Decimal(1)
    core = raw
    if raw[-1] in "万亿" and "万" not in raw[:-1] and "亿" not in raw[:-1]:
        multiplier = _MULTIPLIERS[raw[-1]]
        core = raw[:-1]
    if core == "":
        return Decimal(1), multiplier
    if core in ("百", "千"):
        return _MULTIPLIERS[core], multiplier
    import cn2an  # light but not free to import; only needed for Chinese numerals

    try:
        number = cn2an.cn2an(core, "smart")
    except Exception as error:  # cn2an raises assorted errors on text it cannot read
        raise _Unreadable(raw) from error
    return Decimal(str(number)), multiplier


def _number(raw: str) -> tuple[Decimal, Decimal]:
    if raw[0].isascii():
        return _arabic(raw), Decimal(1)
    return _chinese(raw)


def _pre_modifier(text: str, start: int) -> str | None:
    before = text[:start].rstrip()
    for word in _PRE_MODIFIERS:
        if before.endswith(word):
            return word
    return None


def _blocked(text: str, start: int, raw: str) -> bool:
    """True when the character before the number makes it an ordinal, code or part of a word."""
    if start == 0:
        return False
    previous = text[start - 1]
    if previous == "+" or (previous.isascii() and previous.isalpha()):
        return True
    if raw[0].isascii():
        return previous in _AR_BLOCKERS
    return previous in _CN_BLOCKERS


def _candidates(text: str, quoted: list[bool], parens: list[bool]) -> list[_Candidate]:
    found: list[_Candidate] = []
    fixed = [False] * len(text)
    for match in _FIXED_PHRASES.finditer(text):
        for index in range(match.start(), match.end()):
            fixed[index] = True
    for match in _PERCENT_WORDS.finditer(text):
        if quoted[match.start()]:
            continue
        raw = match.group("n")
        number, multiplier = (Decimal(100), Decimal(1)) if raw == "百" else _number(raw)
        found.append(
            _Candidate(
                match.start(),
                number * multiplier,
                None,
                match.group(0),
                "%",
                Decimal(1),
                _modifiers(text, match.start(), None, None, match.end()),
                _tier(raw, parens[match.start()]),
                True,
            )
        )
        for index in range(match.start(), match.end()):
            fixed[index] = True
    for match in _NUMBER.finditer(text):
        start, raw1 = match.start(), match.group("n1")
        if quoted[start] or fixed[start] or _blocked(text, start, raw1):
            continue
        end = match.end()
        if _DATE_FOLLOW.match(text, end) and match.group("unit") is None:
            continue
        chinese = not raw1[0].isascii()
        unit = match.group("unit")
        modifier = match.group("mod1") or match.group("mod2")
        if chinese:
            if unit is None and modifier is None:
                continue
            if raw1 == "一" and match.group("sep") is None:
                continue
            if raw1 in ("万", "亿", "千", "百") and modifier is None:
                continue
        glued = start > 1 and text[start - 1] in ".,:/" and text[start - 2].isdigit()  # 1.5.3次, 10/3
        if glued or start > 0 and (text[start - 1] in _SIGNS or text[start - 1] in "万亿千百"):
            # a sign (-3%) or a split numeral (3万5千元) would give a wrong magnitude
            raise _Unreadable(raw1)
        if text[match.end("n1") : match.end("n1") + 1] == "+":
            continue
        multiplier_words = [word for word in (match.group("m1"), match.group("m2"), match.group("m3")) if word]
        if match.group("m1") and match.group("m3") or match.group("m2") and match.group("m3"):
            raise _Unreadable(match.group(0))
        low, low_multiplier = _number(raw1)
        high = None
        if match.group("n2"):
            high_number, high_multiplier = _number(match.group("n2"))
            shared = _MULTIPLIERS[match.group("m2") or match.group("m3")] if multiplier_words else Decimal(1)
            high = high_number * high_multiplier * shared
            own = _MULTIPLIERS[match.group("m1")] if match.group("m1") else shared
            low = low * low_multiplier * own
            multiplier = shared if not match.group("m1") else own
            if high < low:
                raise _Unreadable(match.group(0))
        else:
            word = match.group("m1") or match.group("m3")
            multiplier = low_multiplier * (_MULTIPLIERS[word] if word else Decimal(1))
            low = low * multiplier
        value_end = match.start("unit") if unit else end
        raw = text[start:value_end].strip()
        if unit and text.startswith(("(次)", "（次）"), end) and unit in ("户", "人", "家", "件"):
            unit, end = unit + "次", end + 3
        if not unit and not modifier:
            # A bare Arabic number counts only when it ends the text (万人比达3.06).
            if chinese or text[end:].strip(" \t\n。，,；;、！!？?）)") != "":
                continue
            if low == low.to_integral_value() and 1900 <= low <= 2099 and "." not in raw1:
                continue
        found.append(
            _Candidate(
                start,
                low,
                high,
                raw,
                unit,
                multiplier,
                _modifiers(text, start, match.group("mod1"), match.group("mod2"), end if unit else None),
                _tier(raw1, parens[start]),
                unit is not None,
            )
        )
    return found


def _tier(raw: str, in_parens: bool) -> int:
    return (2 if in_parens else 0) + (0 if raw[0].isascii() else 1)


def _modifiers(text: str, start: int, mod1: str | None, mod2: str | None, unit_end: int | None) -> tuple[str, ...]:
    words = [word for word in (_pre_modifier(text, start), mod1, mod2) if word]
    if unit_end is not None:
        after = _POST_UNIT_MODIFIER.match(text, unit_end)
        if after:
            words.append(after.group(1))
    return tuple(words)


def _direction(text: str, start: int) -> str | None:
    """The normalised direction word when a comparison (同比…) + direction sits right before ``start``."""
    comparisons = list(_COMPARISON.finditer(text, 0, start))
    if not comparisons:
        return None
    gap = text[comparisons[-1].end() : start]
    directions = list(_DIRECTION.finditer(gap))
    if not directions or len(gap) > 10:
        return None
    tail = gap[directions[-1].end() :].strip()
    if len(tail) > 4 or any(char.isdigit() for char in tail):
        return None
    return _DIRECTIONS[directions[-1].group(0)]


def _rank(text: str, quoted: list[bool]) -> list[Reading]:
    readings: list[Reading] = []
    for pattern, modifier_word in ((_RANK, "并列"), (_TOP, "前")):
        for match in pattern.finditer(text):
            number_start = match.start("n")
            if quoted[number_start]:
                continue
            raw, unit = match.group("n"), match.group("u")
            after = text[match.end() : match.end() + 1]
            prefix = text[max(0, number_start - 12) : number_start]
            led = match.group("lead") is not None or any(word in prefix for word in _RANK_LEADS)
            at_clause_end = after == "" or after in _CLAUSE_END
            if modifier_word == "前":
                if not (unit or (led and at_clause_end)):
                    continue
            elif not (unit or led and at_clause_end or at_clause_end and not raw[0].isascii()):
                continue
            if unit is None and not at_clause_end:
                continue
            try:
                number, multiplier = _number(raw)
            except (_Unreadable, InvalidOperation):
                continue
            if modifier_word == "前":
                modifier = "前"
            else:
                modifier = "并列" if "并列" in text[max(0, match.start("n") - 12) : match.start("n")] else None
            readings.append(Reading(float(number * multiplier), raw, unit, 1.0, modifier, "rank", None))
    return readings


def read_indicator(text: str) -> Reading:
    """Read the value of an INDICATOR text; ``kind="other"``/``value=None`` whenever unsure."""
    normal = text.translate(_FULL_WIDTH)
    quoted = _mask(normal, _OPEN_CLOSE)
    parens = _mask(normal, _PARENS)
    try:
        ranks = _rank(normal, quoted)
        if ranks:
            return ranks[0] if len(ranks) == 1 else UNREADABLE
        candidates = _candidates(normal, quoted, parens)
    except (_Unreadable, InvalidOperation):
        return UNREADABLE
    chosen: _Candidate | None = None
    for has_unit in (True, False):
        pool = [candidate for candidate in candidates if candidate.has_unit == has_unit]
        if not pool:
            continue
        best_tier = min(candidate.tier for candidate in pool)
        pool = [candidate for candidate in pool if candidate.tier == best_tier]
        if len(pool) != 1:
            return UNREADABLE
        chosen = pool[0]
        break
    if chosen is None:
        return UNREADABLE
    value = float(chosen.low)
    high = None if chosen.high is None else float(chosen.high)
    if not math.isfinite(value) or (high is not None and not math.isfinite(high)):
        return UNREADABLE
    modifiers = list(chosen.modifiers)
    unit = chosen.unit
    if unit is None:
        kind = "other"
    elif unit in ("%", "百分点", "个百分点"):
        kind = "percentage"
    elif unit.endswith("元"):
        kind = "money"
    else:
        kind = "count"
    direction = _direction(normal, chosen.start)
    if direction is not None and unit is not None:
        kind = "change"
        modifiers = [direction, *(word for word in modifiers if word not in _DIRECTIONS)]
    return Reading(
        value=value,
        raw_value=chosen.raw,
        unit=unit,
        multiplier=float(chosen.multiplier),
        modifier="+".join(modifiers) if modifiers else None,
        kind=kind,
        range_high=high,
    )


def unit_of(text: str) -> str | None:
    """The unit of the value in ``text`` (``"元"`` for 万元/亿元), or None when there is none."""
    return read_indicator(text).unit
