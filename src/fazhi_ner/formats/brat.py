"""BRAT standoff: ``<doc_id>.txt`` (the full report) and ``<doc_id>.ann`` (one ``T<n>`` line per span).

``T<n><TAB>LABEL start end<TAB>covered text``, offsets in document characters. The ``.txt`` is written
and read with ``newline=""`` so the report's own line endings stay and offsets stay character-exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fazhi_ner.errors import FaZhiError, FormatError
from fazhi_ner.labels import LABEL_NAMES, get_label
from fazhi_ner.spans import Span


def brat_conf() -> str:
    """``annotation.conf``: the entity types of the schema, no relations, events or attributes."""
    return "[entities]\n" + "".join(f"{name}\n" for name in LABEL_NAMES) + "[relations]\n[events]\n[attributes]\n"


def write_ann(text: str, spans: Iterable[Span]) -> str:
    """The ``.ann`` text for ``spans`` (document offsets, in the given order); covered text taken from ``text``."""
    return "".join(
        f"T{n}\t{span.label} {span.start} {span.end}\t{text[span.start : span.end]}\n"
        for n, span in enumerate(spans, start=1)
    )


def read_ann(ann: str, text: str, *, where: str = "ann", error: type[FaZhiError] = FormatError) -> list[Span]:
    """Spans of ``.ann`` text, sorted, each checked against ``text``; ``error`` names ``where`` and the line."""
    spans = []
    for lineno, line in enumerate(ann.split("\n"), start=1):
        if not line:
            continue
        try:
            tid, middle, covered = line.split("\t", 2)
            label, start, end = middle.split(" ")
            span = Span(int(start), int(end), label, covered)
        except ValueError:
            raise error(f"{where}:{lineno}: expected 'T<n>\\tLABEL start end\\ttext', found {line!r}") from None
        get_label(label)
        if not tid.startswith("T") or text[span.start : span.end] != covered:
            raise error(
                f"{where}:{lineno}: span [{start}, {end}) expected {text[span.start : span.end]!r}, found {covered!r}"
            )
        spans.append(span)
    return sorted(spans)


def write_brat_document(directory: Path, doc_id: str, text: str, spans: Iterable[Span]) -> None:
    """``<doc_id>.txt`` and ``<doc_id>.ann`` in ``directory`` (callers make the directory atomic)."""
    with open(directory / f"{doc_id}.txt", "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    (directory / f"{doc_id}.ann").write_text(write_ann(text, spans), encoding="utf-8")


def read_brat(directory: Path, *, error: type[FaZhiError] = FormatError) -> dict[str, tuple[str, list[Span]]]:
    """``{doc_id: (text, spans in document offsets)}`` for every ``.ann`` in ``directory`` and its ``.txt``."""
    out: dict[str, tuple[str, list[Span]]] = {}
    for ann in sorted(Path(directory).glob("*.ann")):
        with open(ann.with_suffix(".txt"), encoding="utf-8", newline="") as handle:
            text = handle.read()
        out[ann.stem] = (text, read_ann(ann.read_text(encoding="utf-8"), text, where=str(ann), error=error))
    return out
