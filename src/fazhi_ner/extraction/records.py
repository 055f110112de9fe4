"""The records ``fazhi extract`` produces for one report, with one JSON form (``links.jsonl``).

Offsets and texts are those of the user's original file (the models read the text-form of
``fazhi_ner.textform``; every span is mapped back).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from fazhi_ner.formats.jsonl import jsonl_line


@dataclass(frozen=True)
class ExtractedSpan:
    """One tagged span with its link: a metric id (INDICATOR), a body type (AGENCY) or None (INITIATIVE)."""

    start: int
    end: int
    label: str
    text: str
    tagger_score: float | None
    link: str | None
    link_score: float | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, row: dict[str, object]) -> ExtractedSpan:
        return cls(**row)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportExtraction:
    """Everything extracted from one report: where it came from, its unit and year, and its spans."""

    doc_id: str
    source: str  # the file name as given
    unit: str
    year: int
    spans: tuple[ExtractedSpan, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "unit": self.unit,
            "year": self.year,
            "spans": [s.to_json() for s in self.spans],
        }

    @classmethod
    def from_json(cls, row: dict[str, object]) -> ReportExtraction:
        spans = tuple(ExtractedSpan.from_json(s) for s in row["spans"])  # type: ignore[union-attr]
        return cls(str(row["doc_id"]), str(row["source"]), str(row["unit"]), int(row["year"]), spans)  # type: ignore[arg-type]

    def to_line(self) -> str:
        return jsonl_line(self.to_json(), sort_keys=True) + "\n"


@dataclass(frozen=True)
class ExtractResult:
    """What ``fazhi extract`` wrote."""

    directory: str
    reports: int
    cells: int
    spans: int
    model: str
