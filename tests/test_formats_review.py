"""formats.review: sentence lines read back as written; bad markup is a typed error naming file, line and offset."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import AnnotationError
from fazhi_ner.formats.review import ReviewLine, read_review, render_document, write_review
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.seeds import load_documents
from fazhi_ner.spans import Span

ALPHABET = "法治政府建设年度报告开展会前学法次ab1# -。、%\t"


@st.composite
def lines(draw):
    sid = draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}-[0-9]{4}", fullmatch=True))
    text = draw(st.text(alphabet=ALPHABET, max_size=30))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))) | {0, len(text)})
    spans = tuple(
        Span(a, b, label, text[a:b])
        for a, b in zip(cuts, cuts[1:], strict=False)
        if (label := draw(st.sampled_from((None, *LABEL_NAMES)))) is not None
    )
    return ReviewLine(sid, text, spans)


@given(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), st.lists(lines(), max_size=6))
@settings(max_examples=150, deadline=None)
def test_review_round_trip(doc_id, rows):
    assert read_review(write_review(doc_id, rows)) == (doc_id, rows)


def test_a_committed_document_round_trips():
    doc = load_documents()[0]
    text = render_document(doc, [])
    doc_id, rows = read_review(text)
    assert doc_id == doc.doc_id and "".join(r.text for r in rows) == "".join(
        line.split("\t", 1)[1] for line in text.splitlines()[2:]
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("# doc_id: d\nd-0001\t开展【会前学法|METRIC】。\n", r"r\.txt:2: unknown label 'METRIC'"),
        ("# doc_id: d\n\nd-0001\t开展【会前学法。\n", r"r\.txt:3: stray or malformed markup '【' at offset 2"),
        ("# doc_id: d\nd-0001 开展。\n", r"r\.txt:2: expected '<sentence id><TAB><text>'"),
    ],
)
def test_bad_lines_raise_a_typed_error_with_file_line_and_offset(text, where):
    with pytest.raises(AnnotationError, match=f"^{where}"):
        read_review(text, where="r.txt")
