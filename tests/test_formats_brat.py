"""formats.brat: ``.ann`` spans read back as written against the report text; bad lines name file and line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import FormatError, LabelError
from fazhi_ner.formats.brat import brat_conf, read_ann, read_brat, write_ann, write_brat_document
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span

ALPHABET = "法治政府建设年度报告开展会前学法次ab1 \t-。%"


@st.composite
def texts_and_spans(draw):
    text = draw(st.text(alphabet=ALPHABET + "\n\r\u2028", min_size=1, max_size=60))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=10))) | {0, len(text)})
    spans = [
        Span(a, b, label, text[a:b])
        for a, b in zip(cuts, cuts[1:], strict=False)
        if (label := draw(st.sampled_from((None, *LABEL_NAMES)))) is not None
        and "\n" not in text[a:b]
        and "\r" not in text[a:b]  # a BRAT .ann line holds the covered text
    ]
    return text, spans


@given(texts_and_spans())
@settings(max_examples=150, deadline=None)
def test_ann_round_trip(case):
    text, spans = case
    assert read_ann(write_ann(text, spans), text) == spans


@given(texts_and_spans())
@settings(max_examples=25, deadline=None)
def test_directory_round_trip_keeps_line_endings(case):
    text, spans = case
    with tempfile.TemporaryDirectory() as tmp:
        write_brat_document(Path(tmp), "doc-1", text, spans)
        assert read_brat(Path(tmp)) == {"doc-1": (text, spans)}


def test_the_conf_lists_the_labels():
    assert brat_conf().splitlines()[1 : 1 + len(LABEL_NAMES)] == list(LABEL_NAMES)


@pytest.mark.parametrize(
    ("ann", "where"),
    [
        ("T1\tAGENCY 0 2\t县局\nT2 AGENCY 0 2 县局\n", "x.ann:2"),  # not tab-separated
        ("T1\tAGENCY 0 2\t县政\n", "x.ann:1"),  # covered text differs from the report
        ("T1\tAGENCY zero 2\t县局\n", "x.ann:1"),  # offset not an integer
    ],
)
def test_bad_lines_raise_a_typed_error_with_file_and_line(ann, where):
    with pytest.raises(FormatError, match=f"^{where}: "):
        read_ann(ann, "县局", where="x.ann")


def test_unknown_label_is_a_label_error():
    with pytest.raises(LabelError):
        read_ann("T1\tPERSON 0 2\t县局\n", "县局", where="x.ann")
