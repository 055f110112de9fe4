"""Rule and gazetteer pre-annotator: proposes AGENCY, INITIATIVE and INDICATOR spans from raw text.

It feeds Label Studio pre-annotations and is the ``rules`` baseline. Plain ``re`` only (no heavy
imports); every regex is compiled once at import and each sentence is scanned in linear passes.
Spans never cross a sentence boundary (each sentence from ``split_offsets`` is annotated alone)
and the output is flat: overlapping candidates are resolved INDICATOR > INITIATIVE > AGENCY, then
longest first, as the annotation decisions require (an INDICATOR absorbs names inside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_ner.rules.gazetteer import (
    AGENCY_NAMES,
    COUNT_UNITS,
    EVENT_UNITS,
    INITIATIVE_HEADS,
    OBJECT_VERBS,
    PEOPLE_SUBJECTS,
    PLACE_NAMES,
    PROPER_PREFIXES,
    QUOTED_NON_INITIATIVES,
)
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import document_sentences, split_offsets
from fazhi_ner.spans import Span

RULES_VERSION = "rules-1"

AGENCY = "AGENCY"
INITIATIVE = "INITIATIVE"
INDICATOR = "INDICATOR"
_PRIORITY = {INDICATOR: 0, INITIATIVE: 1, AGENCY: 2}


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation, longest words first (Python alternation is first-match, not longest)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


_DIGIT = "0-9０-９"
_CN_DIGITS = "零〇一二三四五六七八九十百千两"
_UNITS = COUNT_UNITS + EVENT_UNITS
# A value: an Arabic (half/full width, decimals, thousands commas) or Chinese numeral, an optional
# 万/亿 multiplier and approximate modifier (spaces allowed, as in "100 多场次" or "15 万余条").
_VALUE = re.compile(
    rf"(?<![{_DIGIT}.．A-Za-z+＋\-—~～/])"
    rf"(?P<num>近?(?:[{_DIGIT}][{_DIGIT},，]*(?:[.．][{_DIGIT}]+)?|[{_CN_DIGITS}]+))"
    rf"(?:\s?[万亿])?(?:\s?[余多])?\s?"
    rf"(?:(?P<pct>[%％‰])|(?P<unit>{_alt(_UNITS)})(?:[(（]次[)）])?)"
    rf"(?![+＋{_DIGIT}])"
)
_RANK = re.compile(
    rf"(?:(?:综合)?排名|并列|位居|位列|名列|居)(?:全[国省市县区盟州])?第(?:[{_DIGIT}]+|[一二三四五六七八九十]+)[位名]?"
)
_COUNT_UNIT_SET = frozenset(COUNT_UNITS)
_UNIT_CHARS = frozenset(u[-1] for u in _UNITS)
_NUM_TAIL = frozenset("余多万亿" + _CN_DIGITS)
_TIGHT_CUTS = frozenset({"共", "共计", "累计", "均"})
_COMPARISON_SET = re.compile(r"全[国省市州盟]$")

# Words that end the part of a clause an INDICATOR may take (scope, time, adverbs, list openers).
_CUT = re.compile(
    r"全年|全县|全区|全市|全盟|全省|全州|共计|累计|截至目前|截止目前|目前|同时|先后|其中|今年|上年度|"
    r"已经|已|(?<![公总])共(?![享同建治富性产青])|期间|包括|现有|此外|另外|及时|(?<!合)并(?!列)|"
    r"[一二三四五六七八九十]是|^[还又均都也]"
)
_LEAD_STRIP = "年月日度、·和及了"
_MEANS = re.compile(
    r"^(?:在|通过|依托|利用|运用|借助)(?:“[^”]{0,30}”|《[^》]{0,40}》|[^在“《]){0,30}?(?:平台|网站|窗口|系统|公众号|上|中|内)"
)
_RIGHT_STOP = re.compile(
    r"参加|参与|开展|进行|在线|提供|签订|实现|均|已|并|被|的|组成|进驻|获得|获|通过|完成|投入|成立|"
    r"参训|上线|注册|接受|提出|开通|入选|纳入|列入|等|和|与|及|(?<![公总])共(?![享同建治富性产青])|累计|为"
)
_OBJECT_VERB = re.compile(_alt(OBJECT_VERBS))

_TITLE = re.compile(r"《[^《》\n]{1,80}》")
_QUOTE = re.compile(r"“[^“”\n]{1,40}”")
_HEADS = tuple(sorted(INITIATIVE_HEADS, key=len, reverse=True))
_HEAD_BAD = re.compile(r"[等的和与及进在被为是了拓推提加开建落打促深完]")
_LIST_TAIL = re.compile(rf"等(?:{_alt(INITIATIVE_HEADS)})")
_PLATFORM = re.compile(
    rf"(?:{_alt(PROPER_PREFIXES)}|(?<![{_DIGIT}])[{_DIGIT}]{{5}}(?![{_DIGIT}]))"
    r"[\u4e00-\u9fff]{0,14}?(?:平台|热线|小程序)"
)

_LEVEL_GUARD = "全各我本该治两乡镇村社城地园景辖郊县区市省州盟"
_BODY = (
    "委全面依法治县委员会办公室",
    "委全面依法治县委员会",
    "委全面依法治区委员会",
    "委全面依法治市委员会",
    "委常委会",
    "委组织部",
    "委宣传部",
    "委政法委",
    "人大常委会",
    "人民检察院",
    "人民法院",
    "检察院",
    "法院",
    "纪委",
    "监委",
    "人大",
    "政协",
    "政府法务中心",
    "法务中心",
    "合法性审查中心",
    "司法局",
    "公安局",
    "财政局",
    "民政局",
    "林草局",
    "市场监管局",
    "自然资源局",
    "生态环境局",
    "卫生健康局",
    "教育局",
    "信访局",
    "政府",
    "委",
    "司法厅",
)
_SUB = ("常务会议", "常务会", "党组会议", "党组", "办公室", "法务中心")
_AGENCY_RE = re.compile(
    rf"{_alt(AGENCY_NAMES)}"
    rf"|(?:{_alt([p for p in PLACE_NAMES if p[0] not in '全我两'])}|(?<![{_LEVEL_GUARD}])[县区市州盟省])"
    rf"(?:{_alt(_BODY)})(?:{_alt(_SUB)})?"
)
_PLACE_RE = re.compile(_alt(PLACE_NAMES))
_PEOPLE_RE = re.compile(_alt(PEOPLE_SUBJECTS))
_NOT_AGENCY_AFTER = re.compile(r"^(?:长|级|乡|镇)")


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    label: str


def _pairs(s: str) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Matching bracket/quote pairs: close index -> open index, and the quoted/titled ranges."""
    close_to_open: dict[int, int] = {}
    ranges: list[tuple[int, int]] = []
    opens = {"“": "”", "《": "》", "(": ")", "（": "）"}
    stack: dict[str, int] = {}
    for i, c in enumerate(s):
        if c in opens:
            stack[opens[c]] = i
        elif c in stack or c in ("”", "》", ")", "）"):
            o = stack.pop(c, None)
            if o is not None:
                close_to_open[i] = o
                if c in ("”", "》"):
                    ranges.append((o, i + 1))
    return close_to_open, ranges


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies strictly inside a quoted name or a 《》 title."""
    return any(a < pos < b for a, b in ranges)


def _head_end(s: str, end: int) -> int:
    """End of the longest compound head noun right after a closing quote, or 0 if none."""
    run = end
    while run < len(s) and run - end < 12 and _is_cjk(s[run]) and not _HEAD_BAD.match(s[run]):
        run += 1
    for stop in range(run, end, -1):
        if s[end:stop].endswith(_HEADS):
            return stop
    return 0


def _initiatives(s: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _TITLE.finditer(s):
        out.append(_Cand(m.start(), m.end(), INITIATIVE))
    quotes = list(_QUOTE.finditer(s))
    for k, m in enumerate(quotes):
        inner = m.group()[1:-1]
        end = m.end()
        head_end = _head_end(s, end)
        if head_end:
            out.append(_Cand(m.start(), head_end, INITIATIVE))
            continue
        # A run of adjacent quoted names closed by 等活动 (or another head): each is a name.
        j = k
        while j + 1 < len(quotes) and quotes[j + 1].start() == quotes[j].end():
            j += 1
        in_run = j > k or (k > 0 and quotes[k - 1].end() == m.start())
        listed = _LIST_TAIL.match(s, quotes[j].end()) is not None
        if inner in QUOTED_NON_INITIATIVES:
            continue
        if not (in_run or listed) and re.search(r"[、，,]", inner):
            continue  # a slogan of parallel phrases
        if len(inner) < 2 or not any(_is_cjk(c) or c.isdigit() for c in inner):
            continue
        out.append(_Cand(m.start(), end, INITIATIVE))
    for m in _PLATFORM.finditer(s):
        out.append(_Cand(m.start(), m.end(), INITIATIVE))
    return out


def _agencies(s: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _AGENCY_RE.finditer(s):
        if _NOT_AGENCY_AFTER.match(s, m.end()) and m.group() in ("县委", "区委", "市委", "县政府", "市政府"):
            continue
        out.append(_Cand(m.start(), m.end(), AGENCY))
    return out


def _left_edge(s: str, p: int, floor: int, close_to_open: dict[int, int]) -> int:
    """How far left of the value at ``p`` the clause may reach (no punctuation, no other value)."""
    i = p
    while i > floor:
        c = s[i - 1]
        after_unit = c == "、" and i - 2 >= floor and s[i - 2] in _UNIT_CHARS
        if after_unit and (s[i - 2] == "次" or (i - 3 >= 0 and (s[i - 3].isdigit() or s[i - 3] in _NUM_TAIL))):
            break  # 、 after a value's unit (or a count whose number is missing) ends the item
        if _is_cjk(c) or c in "、·":
            i -= 1
        elif (i - 1) in close_to_open and close_to_open[i - 1] >= floor and c != "》":
            o = close_to_open[i - 1]
            if c in ")）" and (o == floor or not _is_cjk(s[o - 1])):
                break  # a bracketed aside, not part of a word like 村(社区)
            i = o
        elif c.isdigit():
            j = i
            while j > floor and s[j - 1].isdigit():
                j -= 1
            if i < len(s) and s[i] in "年月日-—至~～":
                break
            i = j
        else:
            break
    while i < p and s[i] == "、":
        i += 1
    return i


def _cut(s: str, lo: int, p: int, ranges: list[tuple[int, int]], names: list[_Cand]) -> int:
    """Move the left edge past scope words, time words, 在… phrases and the clause's subject."""
    region = s[lo:p]
    cut = lo
    for m in _CUT.finditer(region):
        if lo + m.end() == p and m.group() in _TIGHT_CUTS:
            continue  # 文件共33件: between metric and value, like 达/为
        if not _inside(lo + m.start(), ranges):
            cut = max(cut, lo + m.end())
    changed = True
    while changed:
        changed = False
        while cut < p and s[cut] in _LEAD_STRIP:
            cut += 1
        m = _MEANS.match(s[cut:p])
        if m and cut + m.end() < p:
            cut += m.end()
            changed = True
            continue
        for name in names:
            short = name.label == INITIATIVE and p - name.end < 2
            subject = (
                cut <= name.start
                and name.end <= p
                and name.start - cut <= 8
                and not short
                and not _OBJECT_VERB.search(s[cut : name.start])
            )
            if subject:
                cut = name.end
                changed = True
                break
    return cut


def _indicators(s: str, names: list[_Cand]) -> list[_Cand]:
    close_to_open, ranges = _pairs(s)
    out: list[_Cand] = []
    floor = 0
    matches: list[tuple[int, int, int, str]] = []  # (value start, unit end, kind, unit)
    m_num: dict[int, str] = {}
    for m in _VALUE.finditer(s):
        m_num[m.start()] = m.group("num").lstrip("近")
        matches.append((m.start(), m.end(), 0, m.group("unit") or "%"))
    for m in _RANK.finditer(s):
        matches.append((m.start(), m.end(), 1, ""))
    matches.sort()
    for start, end, kind, unit in matches:
        if start < floor or _inside(start, ranges):
            continue
        if kind == 0:
            digits = m_num[start]
            if digits == "一" or (start > 0 and s[start - 1] == "第"):
                continue
            if _COMPARISON_SET.search(s[max(0, start - 2) : start]):
                continue
            if s.startswith("之一", end) or re.match(r"[\u4e00-\u9fff]{0,8}之一", s[end:]):
                continue
            lo = _left_edge(s, start, floor, close_to_open)
            cut = _cut(s, lo, start, ranges, names)
            region = s[cut:start]
            if digits[0] in _CN_DIGITS and not _OBJECT_VERB.search(region):
                continue  # Chinese numerals are values only as the object of a reporting verb
            opener = bool(region) and (region[-1] in "对与" or region == "为")
            right = end
            if unit in _COUNT_UNIT_SET:
                limit = len(s) if opener else min(len(s), end + 12)
                while right < limit:
                    if s[right] in "(（" and right > end:
                        close = next((k for k, o in close_to_open.items() if o == right), None)
                        if close is None or close >= limit:
                            break
                        right = close + 1
                        continue
                    if not _is_cjk(s[right]) or (not opener and _RIGHT_STOP.match(s, right)):
                        break
                    right += 1
                if right - end > 12 and not opener:
                    right = end
            out.append(_Cand(cut, right, INDICATOR))
            floor = right
        else:
            out.append(_Cand(start, end, INDICATOR))
            floor = end
    return out


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Flat output: INDICATOR > INITIATIVE > AGENCY, then longest, then leftmost."""
    taken: list[_Cand] = []
    ordered = sorted(cands, key=lambda c: (_PRIORITY[c.label], -(c.end - c.start), c.start))
    for c in ordered:
        if c.start >= c.end:
            continue
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: (c.start, c.end))


def annotate_sentence(s: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, label)`` in the coordinates of one sentence."""
    inits = _initiatives(s)
    agencies = _agencies(s)
    places = [_Cand(m.start(), m.end(), "PLACE") for m in _PLACE_RE.finditer(s)]
    places += [_Cand(m.start(), m.end(), "PEOPLE") for m in _PEOPLE_RE.finditer(s)]
    names = sorted(inits + agencies + places, key=lambda c: (c.start, -c.end))
    inds = _indicators(s, names)
    # An AGENCY that overlaps an INITIATIVE only partly (e.g. 检察院 inside a quote) is dropped.
    chosen = _resolve(inds + inits + agencies)
    return [(c.start, c.end, c.label) for c in chosen]


def annotate(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Rule spans in ``text`` coordinates inside ``[start, end)``, sentence by sentence."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    for a, b in split_offsets(text, start, end):
        sentence = text[a:b]
        for s, e, label in annotate_sentence(sentence):
            spans.append(Span(a + s, a + e, label, text[a + s : a + e]))
    return spans


def annotate_document(doc: Document) -> list[Span]:
    """Rule spans for the body of ``doc`` (boilerplate ranges skipped), in document offsets."""
    spans: list[Span] = []
    for sentence in document_sentences(doc):
        for s, e, label in annotate_sentence(sentence.text):
            spans.append(
                Span(sentence.start + s, sentence.start + e, label, doc.text[sentence.start + s : sentence.start + e])
            )
    return spans
