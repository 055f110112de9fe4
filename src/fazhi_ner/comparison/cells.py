"""The cells of the report × metric table, in pure Python (pandas only wraps them in ``table``).

A cell gathers every INDICATOR of one report linked to one metric id. Values are the normalised
readings (``6.9万册`` → 69000, ``32.12万元`` → 321200 元). When a report gives a total and its parts
(``人民调解员722人,其中…113人``), the largest mention is the total, so a count or money cell's ``value``
is its largest mention; a rate, rank or change cell takes its first mention in text order (a largest
rate or worst rank is not a total); ``value_sum`` is the sum when every mention is a count or money in one unit, and
``mentions`` keeps every source span so a reader can check each number against the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fazhi_ner.indicators import read_indicator
from fazhi_ner.links.records import LinkRecord
from fazhi_ner.links.taxonomy import OTHER, Taxonomy
from fazhi_ner.seeds import Document

SUMMABLE_KINDS = ("count", "money")


@dataclass(frozen=True)
class Mention:
    """One source span of a cell with its normalised reading."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    modifier: str | None
    kind: str


@dataclass(frozen=True)
class Cell:
    doc_id: str
    report_unit: str
    province: str
    year: int
    metric_id: str
    domain: str
    metric_name_zh: str
    metric_name_en: str
    unit_kind: str
    value: float | None
    unit: str | None
    value_sum: float | None
    mixed_units: bool
    mentions: tuple[Mention, ...]


def _unit(unit: str | None) -> str | None:
    """Align spellings of one unit (户(次) is read as 户次 already; 个百分点 → 百分点)."""
    if unit == "个百分点":
        return "百分点"
    return unit


def cells(
    links: Mapping[str, Sequence[LinkRecord]], documents: Mapping[str, Document], taxonomy: Taxonomy
) -> list[Cell]:
    """One cell per (report, metric id) with at least one linked INDICATOR; sorted by report then metric."""
    grouped: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for doc_id, records in links.items():
        for r in records:
            if r.label != "INDICATOR" or r.link == OTHER:
                continue
            reading = read_indicator(r.text)
            grouped[(doc_id, r.link)].append(
                Mention(r.start, r.end, r.text, reading.value, _unit(reading.unit), reading.modifier, reading.kind)
            )
    out = []
    for (doc_id, metric_id), unsorted in sorted(grouped.items()):
        doc, metric = documents[doc_id], taxonomy.metrics[metric_id]
        mentions = sorted(unsorted, key=lambda m: m.start)
        readable = [m for m in mentions if m.value is not None]
        if metric.unit_kind in SUMMABLE_KINDS:
            best = max(readable, key=lambda m: (m.value, -m.start)) if readable else None
        else:
            best = readable[0] if readable else None
        units = {m.unit for m in readable}
        summable = readable and len(units) == 1 and all(m.kind in SUMMABLE_KINDS for m in readable)
        out.append(
            Cell(
                doc_id,
                doc.unit,
                doc.province,
                doc.year,
                metric_id,
                metric.domain,
                metric.name_zh,
                metric.name_en,
                metric.unit_kind,
                best.value if best else None,
                best.unit if best else None,
                float(sum(m.value for m in readable)) if summable else None,  # type: ignore[misc]
                len(units) > 1,
                tuple(mentions),
            )
        )
    return out
