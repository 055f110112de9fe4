"""Web-page boilerplate in a captured report (breadcrumbs, index-number headers, print/close footers).

The text is never changed: boilerplate is returned as excluded ``[start, end)`` ranges, and the body is what
lies between a leading and a trailing run of them, exactly as ``seeds/manifest.jsonl`` records the seeds
(a test checks this detector reproduces the seeds' curated ranges). A range covers whole boilerplate lines
plus the blank lines after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SP = r"[\s\u00a0\u3000]*"
_LINE_PATTERNS = (
    rf"^(您)?当前(的)?位置{_SP}[:：]",
    rf"^{_SP}>{_SP}\S",  # breadcrumb continuation: "> 政务公开 > ..."
    rf"^索{_SP}引{_SP}号{_SP}[:：]?",
    rf"^(成文日期|成文时间|发布机构|公开方式|组配分类|发文字号|公文时效|主题分类|文{_SP}号){_SP}[:：]?",
    rf"^发布(日期|时间){_SP}[:：].*(访问次数|浏览次数|点击)",
    rf"^(信息来源|来源|编辑|责任编辑|作者|审核){_SP}[:：]",
    r"^【打印本页】|^【关闭本页】|^【关闭窗口】|^【打印】",
    r"^扫一扫在手机(上)?打开当前页",
    r"^相关(信息|链接|文章)$",
    r"^(分享到|字号|打印本页|关闭窗口)",
)
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _LINE_PATTERNS))


@dataclass(frozen=True)
class Layout:
    """Where the body is and which ranges are boilerplate (offsets into the exact text)."""

    body_start: int
    body_end: int
    excluded: tuple[tuple[int, int], ...]


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line without its line break."""
    out, start = [], 0
    for match in re.finditer(r"\r\n|\n|\r", text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return out


def is_boilerplate_line(line: str) -> bool:
    return bool(_BOILERPLATE.search(line.strip(" \t\u00a0\u3000")))


def detect(text: str) -> Layout:
    """Excluded boilerplate ranges, and the body between the leading and trailing boilerplate."""
    lines = _lines(text)
    ranges: list[list[int]] = []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        if not is_boilerplate_line(text[start:end]):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (
            is_boilerplate_line(text[lines[j + 1][0] : lines[j + 1][1]])
            or (not text[lines[j + 1][0] : lines[j + 1][1]].strip() and j + 2 < len(lines)
                and is_boilerplate_line(text[lines[j + 2][0] : lines[j + 2][1]]))
        ):  # fmt: skip
            j += 1
        stop = lines[j][1]
        while stop < len(text) and text[stop] in "\r\n \t\u3000\u00a0":  # the blank lines after it
            stop += 1
        ranges.append([start, stop])
        i = j + 1
    body_start, body_end = 0, len(text)
    for a, b in ranges:
        if a == body_start:
            body_start = b
    for a, b in reversed(ranges):
        if b == body_end:
            body_end = a
    if body_start >= body_end:  # everything looked like boilerplate: keep the whole text as body
        return Layout(0, len(text), ())
    return Layout(body_start, body_end, tuple((a, b) for a, b in ranges))
