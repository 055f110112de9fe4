"""Link files: one TSV per report listing every INDICATOR/AGENCY gold span and its link.

Columns: ``doc_id start end label text context link reason``. ``context`` is derived (30 characters
before, 20 after, span in ``[[ ]]``) so an annotator can decide from the file alone; the reader checks
it, and the span text, against the seed text, so a link can never drift away from its span.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import LinkError
from fazhi_ner.links.taxonomy import OTHER, Taxonomy
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span

HEADER = ("doc_id", "start", "end", "label", "text", "context", "link", "reason")
LINKED_LABELS = ("INDICATOR", "AGENCY")
CONTEXT_BEFORE = 30
CONTEXT_AFTER = 20


@dataclass(frozen=True)
class LinkRecord:
    """One gold span and its link (metric id or body type); ``reason`` explains an ``other``."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    link: str
    reason: str = ""

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.doc_id, self.start, self.end, self.label)


def context(text: str, start: int, end: int) -> str:
    """The span with its surroundings on one line (tabs and newlines become spaces)."""
    window = (
        text[max(0, start - CONTEXT_BEFORE) : start] + "[[" + text[start:end] + "]]" + text[end : end + CONTEXT_AFTER]
    )
    return "".join(" " if char in "\t\r\n" else char for char in window)


def render(records: Sequence[LinkRecord], doc: Document) -> str:
    """The TSV text of a link file (header, one line per record, trailing newline)."""
    lines = ["\t".join(HEADER)]
    for r in records:
        cells = (
            r.doc_id,
            str(r.start),
            str(r.end),
            r.label,
            r.text,
            context(doc.text, r.start, r.end),
            r.link,
            r.reason,
        )
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def blank_records(doc_id: str, spans: Iterable[Span]) -> list[LinkRecord]:
    """Records with an empty link for every INDICATOR/AGENCY span (the input of a link pass)."""
    return [LinkRecord(doc_id, s.start, s.end, s.label, s.text, "") for s in spans if s.label in LINKED_LABELS]


def read_link_file(path: Path, doc: Document, taxonomy: Taxonomy, *, allow_empty: bool = False) -> list[LinkRecord]:
    """Parse and validate one link file against its seed text and the taxonomy."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        found = lines[0] if lines else "an empty file"
        raise LinkError(f"{path}:1: expected the header {' '.join(HEADER)!r} (tab-separated), found {found!r}")
    records: list[LinkRecord] = []
    for number, line in enumerate(lines[1:], start=2):
        where = f"{path}:{number}"
        cells = line.split("\t")
        if len(cells) != len(HEADER):
            raise LinkError(f"{where}: expected {len(HEADER)} tab-separated cells, found {len(cells)}")
        doc_id, start_s, end_s, label, text, ctx, link, reason = cells
        if doc_id != doc.doc_id:
            raise LinkError(f"{where}: doc_id expected {doc.doc_id!r}, found {doc_id!r}")
        try:
            start, end = int(start_s), int(end_s)
        except ValueError:
            raise LinkError(f"{where}: start/end expected integers, found {start_s!r}/{end_s!r}") from None
        if not 0 <= start < end <= len(doc.text):
            raise LinkError(f"{where}: span [{start}, {end}) outside the text (length {len(doc.text)})")
        if label not in LINKED_LABELS:
            raise LinkError(f"{where}: label expected INDICATOR or AGENCY, found {label!r}")
        if doc.text[start:end] != text:
            raise LinkError(f"{where}: text expected {doc.text[start:end]!r} at [{start}, {end}), found {text!r}")
        if ctx != context(doc.text, start, end):
            raise LinkError(f"{where}: context column expected {context(doc.text, start, end)!r}, found {ctx!r}")
        link, reason = link.strip(), reason.strip()
        if link or not allow_empty:
            allowed = taxonomy.allowed(label)
            if link not in allowed:
                kind = "metric id" if label == "INDICATOR" else "body type"
                raise LinkError(f"{where}: link expected a {kind} of the taxonomy, found {link!r}")
            if link == OTHER and not reason:
                raise LinkError(f"{where}: link 'other' expected a reason, found an empty reason column")
        records.append(LinkRecord(doc_id, start, end, label, text, link, reason))
    keys = [r.key for r in records]
    if keys != sorted(keys, key=lambda k: (k[1], k[2], k[3])) or len(set(keys)) != len(keys):
        raise LinkError(f"{path}: records expected in text order without duplicates")
    return records


def check_coverage(path: Path, records: Sequence[LinkRecord], spans: Sequence[Span]) -> None:
    """Every INDICATOR/AGENCY gold span of the document has exactly one record, and nothing else does."""
    expected = {(s.start, s.end, s.label) for s in spans if s.label in LINKED_LABELS}
    found = {(r.start, r.end, r.label) for r in records}
    missing, extra = sorted(expected - found), sorted(found - expected)
    if missing:
        s, e, label = missing[0]
        raise LinkError(
            f"{path}: gold {label} span [{s}, {e}) expected a link record, found none ({len(missing)} missing)"
        )
    if extra:
        s, e, label = extra[0]
        raise LinkError(f"{path}: record for [{s}, {e}) {label} expected a gold span, found none ({len(extra)} extra)")


def load_link_folder(
    directory: Path,
    taxonomy: Taxonomy,
    gold: Mapping[str, Sequence[Span]],
    documents: Mapping[str, Document],
    *,
    allow_empty: bool = False,
) -> dict[str, list[LinkRecord]]:
    """All ``<doc_id>.tsv`` files of a folder, validated and checked for full coverage of the gold."""
    if not directory.is_dir():
        raise LinkError(f"{directory}: link folder missing")
    out: dict[str, list[LinkRecord]] = {}
    for path in sorted(directory.glob("*.tsv")):
        doc_id = path.stem
        if doc_id not in documents:
            raise LinkError(f"{path}: file name expected <doc_id>.tsv of a seed report, found {path.name!r}")
        if doc_id not in gold:
            raise LinkError(f"{path}: report {doc_id!r} has no span gold to link")
        records = read_link_file(path, documents[doc_id], taxonomy, allow_empty=allow_empty)
        check_coverage(path, records, gold[doc_id])
        out[doc_id] = records
    if not out:
        raise LinkError(f"{directory}: no link files (*.tsv)")
    return out
