"""The text-form layer: normalised text for the models, exact offsets and text back into the user's file."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.seeds import load_documents
from fazhi_ner.spans import Span
from fazhi_ner.textform import chars_form, form_key, normalise

_CJK = "县司法局开展会前学法次行政复议纠错率下降审计项目完成办理案件法律咨询人"
_HALF = ",;:()%"
# a paragraph; no ; inside: a wrap right after a sentence terminator keeps its line break (a sentence boundary
# either way), which the exact-equality check below would have to special-case
_BODY = st.text(alphabet=_CJK + ",:()%0123456789ABCxyz", min_size=120, max_size=200)
_FULL = {c: chr(ord(c) + 0xFEE0) for c in _HALF + "0123456789ABCxyz"}


def test_seed_texts_are_already_in_the_models_form():
    for doc in load_documents():
        assert normalise(doc.text).text == doc.text.replace("\xa0", " "), doc.doc_id  # NBSP: web boilerplate only


@given(st.text(alphabet=_CJK + _HALF + "，；：（）０１２ \u3000\u00a0\r\n\u2028。-—第页/" + "123", max_size=300), st.data())
@settings(max_examples=150, deadline=None)
def test_any_range_maps_to_the_original_text_it_came_from(text: str, data: st.DataObject):
    form = normalise(text)
    n = len(form.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    a, b = form.to_original(start, end)
    assert 0 <= a <= b <= len(text)
    if start < end:  # the first character is exactly the original's; the rest is the original's, some removed
        first = form.text[start]
        assert chars_form(text[a]) == first or (first == "\n" and text[a] in "\r\u2028\u2029")
        rest = iter(chars_form(text[a:b]))
        assert all(char in rest for char in "".join(form.text[start:end].split()))


@st.composite
def _report(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """A report in the seeds' form (headings, paragraphs ending in 。) and random spans inside its lines."""
    lines = []
    for number in "一二三四"[: draw(st.integers(2, 4))]:
        lines.append(number + "、" + "".join(draw(st.lists(st.sampled_from(_CJK), min_size=4, max_size=9))))
        lines.append(draw(_BODY) + "。")
    text = "\n".join(lines)
    spans = []
    for line_start in [i + 1 for i, c in enumerate(text) if c == "\n"][:: 2] + [0]:
        line_end = text.index("\n", line_start) if "\n" in text[line_start:] else len(text)
        a = draw(st.integers(line_start, line_end - 1))
        b = draw(st.integers(a + 1, min(line_end, a + 60)))
        spans.append(Span(a, b, "INDICATOR", text[a:b]))
    return text, spans


def _changed(text: str, full: bool, crlf: bool, width: int | None, pages: bool) -> tuple[str, list[tuple[int, int]]]:
    """``text`` in another form and, for each of its characters, the range it became (line breaks added by the
    wrap belong to no character)."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    size = column = lines_done = 0

    def put(piece: str, owner: bool) -> None:
        nonlocal size
        if owner:
            where.append((size, size + len(piece)))
        out.append(piece)
        size += len(piece)

    newline = "\r\n" if crlf else "\n"
    for char in text:
        if char == "\n":
            put(newline, True)
            column = 0
            continue
        if width and column == width:  # hard wrap: a full line, its sentence runs on
            put(newline, False)
            lines_done += 1
            if pages and lines_done % 5 == 0:
                put(f"- {lines_done // 5} -{newline}", False)
            column = 0
        put(_FULL.get(char, char) if full else char, True)
        column += 1
    return "".join(out), where


@given(_report(), st.booleans(), st.booleans(), st.sampled_from([None, 20, 29, 37]), st.booleans())
@settings(max_examples=80, deadline=None)
def test_spans_map_back_to_exactly_the_original_offsets_and_text(report, full, crlf, width, pages):
    text, spans = report
    changed, where = _changed(text, full, crlf, width, pages and width is not None)
    form = normalise(changed)
    assert form.text == text  # the models read the seeds' form whatever the user's form was
    for span in spans:
        mapped = form.span(span)
        assert (mapped.start, mapped.end) == (where[span.start][0], where[span.end - 1][1])
        assert mapped.text == changed[mapped.start : mapped.end]
        inside = re.sub(r"-\d+-", "", "".join(chars_form(mapped.text).split()))  # a page number inside stays
        assert inside == "".join(span.text.split())


def test_full_width_wrapped_text_with_page_numbers_and_running_header():
    para = "2023年,县审计局完成审计项目23个,县综合行政执法局办理行政处罚案件1054件,县公共法律服务中心提供法律咨询8754人次。"
    text = "二、主要成效\n" + para * 5
    pdf_lines = []
    for n, i in enumerate(range(0, len(para * 5), 30)):
        pdf_lines.append((para * 5)[i : i + 30].replace(",", "，"))
        if n % 3 == 2:
            pdf_lines += ["— 2 —", "", "仙居县2023年法治政府建设工作报告"]
    pdf = "二、主要成效\r\n" + "\r\n".join(pdf_lines)
    assert normalise(pdf).text == text
    assert form_key(pdf) == form_key(text)


def test_short_lines_and_headings_are_not_joined():
    text = "一、坚持党的领导\n县司法局开展会前学法21次。\n二、深化改革\n"
    assert normalise(text).text == text
