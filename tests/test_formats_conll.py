"""formats.conll: documents of (sentence, spans) read back as written; bad lines name the file and line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import DatasetError, FormatError
from fazhi_ner.formats.conll import DOCSTART, conll_sentence, docstart, parse_conll, read_conll, write_conll
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span, spans_to_tags

ALPHABET = "法治政府建设年度报告开展会前学法次合格率ab1# -。、（）《》%|【】"


@st.composite
def sentences(draw):
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=30))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))) | {0, len(text)})
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        label = draw(st.sampled_from((None, *LABEL_NAMES)))
        if label is not None and b > a:
            spans.append(Span(a, b, label, text[a:b]))
    return text, spans


documents = st.lists(st.lists(sentences(), max_size=4), max_size=4)


def _tagged(docs):
    return [[(text, spans_to_tags(spans, len(text))) for text, spans in doc] for doc in docs]


@given(documents)
@settings(max_examples=150, deadline=None)
def test_documents_round_trip(docs):
    assert read_conll(write_conll(_tagged(docs))) == docs


def test_the_writer_is_docstart_then_one_char_and_tag_per_line():
    text = write_conll([[("县局", ["B-AGENCY", "I-AGENCY"])]])
    assert text == f"{DOCSTART}\tO\n\n县\tB-AGENCY\n局\tI-AGENCY\n\n"
    assert text == docstart() + conll_sentence("县局", ["B-AGENCY", "I-AGENCY"])
    assert conll_sentence("a\nb", ["O", "O", "O"], skip="\n") == "a\tO\nb\tO\n\n"


def test_id_comments_name_blocks():
    parsed = parse_conll(f"{DOCSTART}\tO\n\n# id = s-1\n甲\tO\n\n#\tO\n\n")
    assert [(b.id, b.line, [t.char for t in b.tokens]) for b in parsed.blocks] == [("s-1", 3, ["甲"]), (None, 6, ["#"])]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"{DOCSTART}\tO\n\nab\tO\n", "f.conll:3"),  # two characters on one line
        ("甲\tO\n", "f.conll:1"),  # a sentence before any document
    ],
)
def test_bad_input_raises_a_typed_error_with_file_and_line(text, where):
    with pytest.raises(FormatError, match=f"^{where}: "):
        read_conll(text, where="f.conll")
    with pytest.raises(DatasetError, match=f"^{where}: "):
        read_conll(text, where="f.conll", error=DatasetError)
