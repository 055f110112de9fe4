"""Character spans and their IOB2 tag view.

Spans are the source of truth: ``[start, end)`` character offsets into a text. Tags are derived,
and decoding the tags of valid spans gives back exactly the same spans (round-trip tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fazhi_ner.errors import SpanError, TagSequenceError
from fazhi_ner.labels import OUTSIDE, TAG_TO_ID, get_label


@dataclass(frozen=True, order=True)
class Span:
    """A labelled character range ``[start, end)``; ``text`` is the covered text when known."""

    start: int
    end: int
    label: str
    text: str = ""

    def shifted(self, delta: int) -> Span:
        """The same span with offsets moved by ``delta`` (document <-> sentence coordinates)."""
        return Span(self.start + delta, self.end + delta, self.label, self.text)

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "label": self.label, "text": self.text}


def sort_spans(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def validate_spans(
    spans: Iterable[Span],
    text: str,
    *,
    where: str = "text",
    check_text: bool = True,
    bounds: tuple[int, int] | None = None,
) -> list[Span]:
    """Check labels, ranges, overlap and (optionally) span text; return the spans sorted.

    ``where`` names the document or file in error messages. ``bounds`` restricts spans to a
    sub-range (e.g. the report body).
    """
    lo, hi = bounds if bounds is not None else (0, len(text))
    ordered = sort_spans(spans)
    previous: Span | None = None
    for span in ordered:
        get_label(span.label)
        if not (isinstance(span.start, int) and isinstance(span.end, int)):
            raise SpanError(f"{where}: offsets must be integers, found {span.start!r}..{span.end!r}")
        if span.start >= span.end:
            raise SpanError(f"{where}: empty or reversed span [{span.start}, {span.end}) {span.label}")
        if span.start < lo or span.end > hi:
            raise SpanError(
                f"{where}: span [{span.start}, {span.end}) {span.label} outside the allowed range [{lo}, {hi})"
            )
        if check_text and span.text and text[span.start : span.end] != span.text:
            raise SpanError(
                f"{where}: span [{span.start}, {span.end}) {span.label} expected text "
                f"{text[span.start : span.end]!r}, found {span.text!r}"
            )
        if previous is not None and span.start < previous.end:
            raise SpanError(
                f"{where}: span [{span.start}, {span.end}) {span.label} overlaps "
                f"[{previous.start}, {previous.end}) {previous.label}"
            )
        previous = span
    return ordered


def spans_to_tags(spans: Iterable[Span], length: int, *, offset: int = 0) -> list[str]:
    """IOB2 tags for a text of ``length`` characters; ``offset`` is subtracted from span offsets."""
    tags = [OUTSIDE] * length
    for span in spans:
        start, end = span.start - offset, span.end - offset
        if start < 0 or end > length or start >= end:
            raise SpanError(f"span [{span.start}, {span.end}) does not fit a text of {length} at offset {offset}")
        if any(t != OUTSIDE for t in tags[start:end]):
            raise SpanError(f"span [{span.start}, {span.end}) {span.label} overlaps another span")
        get_label(span.label)
        tags[start] = f"B-{span.label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{span.label}"
    return tags


def tags_to_spans(tags: Sequence[str], *, text: str | None = None, offset: int = 0) -> list[Span]:
    """Decode IOB2 tags into spans the way seqeval's strict IOB2 mode reads entities.

    An entity starts only at ``B-X`` and continues over ``I-X``; an ``I-`` that does not continue
    an entity of the same type is not part of any entity (strict mode drops it).
    """
    spans: list[Span] = []
    start: int | None = None
    label: str | None = None

    def close(end: int) -> None:
        if start is not None and label is not None:
            covered = text[start:end] if text is not None else ""
            spans.append(Span(start + offset, end + offset, label, covered))

    for i, tag in enumerate(tags):
        if tag not in TAG_TO_ID:
            raise TagSequenceError(f"position {i}: unknown tag {tag!r}")
        if tag == OUTSIDE:
            close(i)
            start, label = None, None
        elif tag.startswith("B-"):
            close(i)
            start, label = i, tag[2:]
        else:  # I-X
            if start is None or label != tag[2:]:
                close(i)
                start, label = None, None
    close(len(tags))
    return spans


def invalid_transitions(tags: Sequence[str]) -> int:
    """Count ``I-X`` tags that do not follow ``B-X`` or ``I-X`` (invalid in IOB2)."""
    count = 0
    previous = OUTSIDE
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            count += 1
        previous = tag
    return count
