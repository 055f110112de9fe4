"""formats.spacy: Docs of a DocBin read back with the spans written; bytes that are not a DocBin are a typed error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import BaselineError, FormatError
from fazhi_ner.formats.spacy import SpacyDoc, read_docbin, write_docbin
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span


@st.composite
def docs(draw):
    text = draw(st.text(alphabet="法治政府建设年度报告ab1。%", min_size=1, max_size=25))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))) | {0, len(text)})
    spans = tuple(
        Span(a, b, label, text[a:b])
        for a, b in zip(cuts, cuts[1:], strict=False)
        if (label := draw(st.sampled_from((None, *LABEL_NAMES)))) is not None
    )
    return SpacyDoc(draw(st.text(alphabet="abc-0123", min_size=1, max_size=8)), text, spans, "doc")


@given(st.lists(docs(), max_size=4))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_docbin_round_trip(items):
    assert read_docbin(write_docbin(items)) == items
    without_ids = read_docbin(write_docbin(items, user_data=False))
    assert [(d.text, d.spans) for d in without_ids] == [(d.text, d.spans) for d in items]


def test_unreadable_bytes_raise_a_typed_error_naming_the_file():
    with pytest.raises(FormatError, match="^train.spacy: expected spaCy DocBin bytes"):
        read_docbin(b"not a docbin", where="train.spacy")
    with pytest.raises(BaselineError, match="^train.spacy: "):
        read_docbin(b"not a docbin", where="train.spacy", error=BaselineError)
