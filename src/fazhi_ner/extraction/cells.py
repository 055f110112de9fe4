"""Predicted cells of one report: its linked INDICATOR spans through the gold table's own cell rule.

The value is read from the span in the models' text form (a hard-wrapped line break or full-width digit inside
a span does not change the number), while the mention keeps the original file's offsets and text.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from fazhi_ner.comparison.cells import Cell, Mention, make_cell, mention
from fazhi_ner.extraction.records import ExtractedSpan, ReportExtraction
from fazhi_ner.links.taxonomy import OTHER, Taxonomy
from fazhi_ner.seeds import Document


def report_document(report: ReportExtraction, text: str, province: str = "") -> Document:
    """A Document for a report that is in no manifest (the page and the table read unit, province, year)."""
    return Document(
        doc_id=report.doc_id, file=report.source, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text, province=province, prefecture="", unit=report.unit, unit_type="", year=report.year,
        date_written=None, date_published=None, title=None, body_start=0, body_end=len(text), excluded=(),
    )  # fmt: skip


def predicted_cells(
    doc: Document, spans: Sequence[ExtractedSpan], taxonomy: Taxonomy, readings: Sequence[str] | None = None
) -> list[Cell]:
    """One predicted cell per metric id the linker gave an INDICATOR of ``doc``; sorted by metric id.

    ``readings[i]`` is the text the value of ``spans[i]`` is read from (default: the span's own text).
    """
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for i, span in enumerate(spans):
        if span.label != "INDICATOR" or span.link in (None, OTHER) or span.link not in taxonomy.metrics:
            continue
        read = readings[i] if readings is not None else span.text
        grouped[span.link].append(
            mention(span.start, span.end, span.text, read=read, tagger_score=span.tagger_score,
                    link_score=span.link_score)  # fmt: skip
        )
    return [make_cell(doc, taxonomy.metrics[m], grouped[m], predicted=True) for m in sorted(grouped)]


def body_counts(spans: Sequence[ExtractedSpan]) -> Counter[str]:
    """AGENCY mentions per predicted body type (the page's body-type chart)."""
    return Counter(s.link for s in spans if s.label == "AGENCY" and s.link)
