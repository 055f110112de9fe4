"""Link sheets: the editable file an annotator fills to link one document's spans, and its reader.

One TSV per document, one span per line: ``span_id label text sentence link reason``. The span id
(``<doc_id>:<start>-<end>``) carries the offsets, so the sheet needs nothing else to be read back; the
sentence (span in ``[[ ]]``) is there so the annotator can decide from the sheet alone and is not read
back. The reader checks every line against the document's gold spans and the taxonomy and names
``file:line`` on any error, so a filled sheet becomes link records or nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.errors import LinkError
from fazhi_ner.links.records import LINKED_LABELS, LinkRecord
from fazhi_ner.links.taxonomy import OTHER, Taxonomy
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

SHEET_HEADER = ("span_id", "label", "text", "sentence", "link", "reason")
_SPAN_ID = re.compile(r"^(?P<doc>[A-Za-z0-9_.-]+):(?P<start>\d+)-(?P<end>\d+)$")


def span_id(doc_id: str, start: int, end: int) -> str:
    return f"{doc_id}:{start}-{end}"


def _one_line(text: str) -> str:
    return "".join(" " if char in "\t\r\n" else char for char in text)


def sentence_context(doc: Document, start: int, end: int) -> str:
    """The sentence holding the span, span marked ``[[ ]]`` (the whole span even if it crosses a sentence end)."""
    sentences = document_sentences(doc)
    starts = [s.start for s in sentences]
    index = max(0, bisect_right(starts, start) - 1)
    left = min(sentences[index].start, start) if sentences else start
    last = max(0, bisect_right(starts, max(start, end - 1)) - 1)
    right = max(sentences[last].end, end) if sentences else end
    text = doc.text
    return _one_line(text[left:start] + "[[" + text[start:end] + "]]" + text[end:right])


def render_sheet(
    doc: Document, spans: Sequence[Span], links: dict[tuple[int, int, str], LinkRecord] | None = None
) -> str:
    """A sheet for every INDICATOR/AGENCY span of ``doc`` in text order; link cells empty unless ``links`` fills them."""
    links = links or {}
    rows = ["\t".join(SHEET_HEADER)]
    for s in sorted((s for s in spans if s.label in LINKED_LABELS), key=lambda s: (s.start, s.end, s.label)):
        known = links.get((s.start, s.end, s.label))
        rows.append(
            "\t".join(
                (
                    span_id(doc.doc_id, s.start, s.end),
                    s.label,
                    _one_line(doc.text[s.start : s.end]),
                    sentence_context(doc, s.start, s.end),
                    known.link if known else "",
                    known.reason if known else "",
                )
            )
        )
    return "\n".join(rows) + "\n"


def read_sheet(path: Path, doc: Document, spans: Sequence[Span], taxonomy: Taxonomy) -> list[LinkRecord]:
    """Parse a filled sheet into link records; every linked gold span must have exactly one valid line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or tuple(c.strip() for c in lines[0].split("\t")) != SHEET_HEADER:
        found = lines[0] if lines else "an empty file"
        raise LinkError(f"{path}:1: expected the header {' '.join(SHEET_HEADER)!r} (tab-separated), found {found!r}")
    wanted = {(s.start, s.end, s.label) for s in spans if s.label in LINKED_LABELS}
    records: dict[tuple[int, int, str], LinkRecord] = {}
    for number, line in enumerate(lines[1:], start=2):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == len(SHEET_HEADER) - 1:  # an editor dropped the empty trailing reason cell
            cells.append("")
        if len(cells) != len(SHEET_HEADER):
            raise LinkError(f"{where}: expected {len(SHEET_HEADER)} tab-separated cells, found {len(cells)}")
        sid, label, text, _sentence, link, reason = (c.strip() for c in cells)
        match = _SPAN_ID.match(sid)
        if not match or match["doc"] != doc.doc_id:
            raise LinkError(f"{where}: span_id expected '{doc.doc_id}:<start>-<end>', found {sid!r}")
        key = (int(match["start"]), int(match["end"]), label)
        if key not in wanted:
            raise LinkError(
                f"{where}: span {sid} {label} expected a gold INDICATOR/AGENCY span of {doc.doc_id}, found none"
            )
        if key in records:
            raise LinkError(f"{where}: span {sid} {label} appears twice")
        exact = doc.text[key[0] : key[1]]
        if text != _one_line(exact).strip():
            raise LinkError(f"{where}: text expected {exact!r} at {sid}, found {text!r}")
        if not link:
            raise LinkError(f"{where}: link expected a {_kind(label)} of the taxonomy, found an empty cell")
        if link not in taxonomy.allowed(label):
            raise LinkError(f"{where}: link expected a {_kind(label)} of the taxonomy, found unknown {link!r}")
        if link == OTHER and not reason:
            raise LinkError(f"{where}: link 'other' expected a reason, found an empty reason cell")
        records[key] = LinkRecord(doc.doc_id, key[0], key[1], label, exact, link, reason)
    missing = sorted(wanted - set(records))
    if missing:
        s, e, label = missing[0]
        raise LinkError(
            f"{path}: span {span_id(doc.doc_id, s, e)} {label} expected a line, found none ({len(missing)} missing)"
        )
    return [records[k] for k in sorted(records)]


def _kind(label: str) -> str:
    return "metric id" if label == "INDICATOR" else "body type"
