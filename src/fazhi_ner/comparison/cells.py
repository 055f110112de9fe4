"""The cells of the report × metric table, in pure Python (pandas only wraps them in ``table``).

A cell gathers every INDICATOR of one report linked to one metric id. Values are the normalised
readings (``6.9万册`` → 69000, ``32.12万元`` → 321200 元). When a report gives a total and its parts
(``人民调解员722人,其中…113人``), the largest mention is the total, so a count or money cell's ``value``
is its largest mention; a rate, rank or change cell takes its first mention in text order (a largest
rate or worst rank is not a total), and ``mentions`` keeps every source span so a reader can check each number
against the text. Mentions are never added up: they are a total and its parts (heishui: 133 mediation bodies,
then 15 + 100 + 18 of them, so a sum double-counts) or different things counted with one classifier (20个乡镇 and
12个部门 are both 个), and no rule tells the two apart reliably.

Gold cells (``cells``: the link gold) and predicted cells (``fazhi extract``: a tagger and the linker) are made
by the same :func:`make_cell`, so both follow one rule; a predicted cell says so (``predicted``) and keeps the
tagger's and the linker's scores of each mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fazhi_ner.indicators import read_indicator
from fazhi_ner.links.records import LinkRecord
from fazhi_ner.links.taxonomy import OTHER, Metric, Taxonomy
from fazhi_ner.seeds import Document

TOTAL_KINDS = ("count", "money")  # the largest mention is the total


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
    tagger_score: float | None = None  # predicted mentions only (None for gold, or a model without scores)
    link_score: float | None = None


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
    kind: str  # the reading kind of the mention the value comes from (count, percentage, money, rank, change, other)
    modifier: str | None  # its modifier (约, 余 …; for a change the direction first)
    direction: str | None  # change cells: "上升" or "下降" (``value`` is the magnitude as written); else None
    mixed_units: bool
    mentions: tuple[Mention, ...]
    predicted: bool = False


def _unit(unit: str | None) -> str | None:
    """Align spellings of one unit (户(次) is read as 户次 already; 个百分点 → 百分点)."""
    if unit == "个百分点":
        return "百分点"
    return unit


def mention(start: int, end: int, text: str, *, read: str | None = None, tagger_score: float | None = None,
            link_score: float | None = None) -> Mention:  # fmt: skip
    """One INDICATOR span read with ``fazhi_ner.indicators`` (units aligned); ``read`` is the text to read the
    value from when it differs from ``text`` (a user's span in the models' text form)."""
    reading = read_indicator(text if read is None else read)
    return Mention(start, end, text, reading.value, _unit(reading.unit), reading.modifier, reading.kind,
                   tagger_score, link_score)  # fmt: skip


def _direction(best: Mention | None) -> str | None:
    if best is None or best.kind != "change" or not best.modifier:
        return None
    first = best.modifier.split("+")[0]
    return first if first in ("上升", "下降") else None


def make_cell(doc: Document, metric: Metric, unsorted: Sequence[Mention], *, predicted: bool = False) -> Cell:
    """The one rule that turns a report's mentions of one metric into a cell (see the module docstring)."""
    mentions = sorted(unsorted, key=lambda m: (m.start, m.end))
    readable = [m for m in mentions if m.value is not None]
    if metric.unit_kind in TOTAL_KINDS:
        best = max(readable, key=lambda m: (m.value, -m.start)) if readable else None
    else:
        best = readable[0] if readable else None
    units = {m.unit for m in readable}
    return Cell(
        doc.doc_id,
        doc.unit,
        doc.province,
        doc.year,
        metric.id,
        metric.domain,
        metric.name_zh,
        metric.name_en,
        metric.unit_kind,
        best.value if best else None,
        best.unit if best else None,
        best.kind if best else "other",
        best.modifier if best else None,
        _direction(best),
        len(units) > 1,
        tuple(mentions),
        predicted,
    )


def cells(
    links: Mapping[str, Sequence[LinkRecord]], documents: Mapping[str, Document], taxonomy: Taxonomy
) -> list[Cell]:
    """One gold cell per (report, metric id) with at least one linked INDICATOR; sorted by report then metric."""
    grouped: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for doc_id, records in links.items():
        for r in records:
            if r.label != "INDICATOR" or r.link == OTHER:
                continue
            grouped[(doc_id, r.link)].append(mention(r.start, r.end, r.text))
    return [
        make_cell(documents[doc_id], taxonomy.metrics[metric_id], mentions)
        for (doc_id, metric_id), mentions in sorted(grouped.items())
    ]
