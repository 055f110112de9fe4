from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_ner.errors import LabelError, SpanError, TagSequenceError
from fazhi_ner.labels import LABEL_NAMES, LABELS, TAGS, tag_id
from fazhi_ner.spans import Span, invalid_transitions, spans_to_tags, tags_to_spans, validate_spans


def test_tag_list_is_generated_from_labels_in_fixed_order() -> None:
    assert TAGS[0] == "O"
    assert list(TAGS[1:]) == [f"{p}-{label.name}" for label in LABELS for p in ("B", "I")]
    assert LABEL_NAMES == ("AGENCY", "INITIATIVE", "INDICATOR")
    assert [tag_id(t) for t in TAGS] == list(range(7))
    with pytest.raises(LabelError, match="unknown tag 'B-PERSON'"):
        tag_id("B-PERSON")


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(st.text(min_size=0, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=12)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            spans.append(Span(a, b, draw(st.sampled_from(LABEL_NAMES)), text[a:b]))
    return text, spans


@given(text_and_spans())
def test_spans_tags_round_trip(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    tags = spans_to_tags(spans, len(text))
    assert len(tags) == len(text)
    assert tags_to_spans(tags, text=text) == sorted(spans)
    assert invalid_transitions(tags) == 0


@given(text_and_spans(), st.integers(0, 50))
def test_offset_shift_round_trip(case: tuple[str, list[Span]], offset: int) -> None:
    text, spans = case
    shifted = [s.shifted(offset) for s in spans]
    tags = spans_to_tags(shifted, len(text), offset=offset)
    assert tags_to_spans(tags, text=text, offset=offset) == sorted(shifted)


def test_strict_decoding_drops_orphan_inside_tags() -> None:
    tags = ["I-AGENCY", "I-AGENCY", "O", "B-INDICATOR", "I-AGENCY", "B-AGENCY", "I-AGENCY"]
    assert tags_to_spans(tags) == [Span(3, 4, "INDICATOR"), Span(5, 7, "AGENCY")]
    assert invalid_transitions(tags) == 2


def test_unknown_tag_is_rejected_with_position() -> None:
    with pytest.raises(TagSequenceError, match="position 1: unknown tag 'B-X'"):
        tags_to_spans(["O", "B-X"])


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([Span(3, 3, "AGENCY")], "empty or reversed"),
        ([Span(0, 20, "AGENCY")], "outside the allowed range"),
        ([Span(0, 3, "AGENCY"), Span(2, 4, "INDICATOR")], "overlaps"),
        ([Span(0, 2, "PERSON")], "unknown label 'PERSON'"),
        ([Span(0, 2, "AGENCY", "县司")], "expected text '县委', found '县司'"),
    ],
)
def test_validate_spans_rejects_bad_spans(spans: list[Span], message: str) -> None:
    with pytest.raises((SpanError, LabelError), match=message):
        validate_spans(spans, "县委常委会研究", where="doc")
