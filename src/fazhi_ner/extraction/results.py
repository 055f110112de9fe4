"""The typed end-to-end extraction result: ``eval/extraction/lodo.json``.

Each JSON key is spelled once, as a field here; :mod:`fazhi_ner.extraction.lodo` makes the record and every reader
goes through :func:`read_extraction_evaluation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.links.results import Bootstrap
from fazhi_ner.results import Interval, Record


@dataclass(frozen=True)
class Score(Record):
    """Cell precision, recall and F1 with 95% bootstrap intervals."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    precision_ci: Interval
    recall_ci: Interval
    f1_ci: Interval


@dataclass(frozen=True)
class SystemScores(Record):
    """One system's cells pooled over the held-out reports, and per report."""

    pooled: Score
    per_report: dict[str, Score]


@dataclass(frozen=True)
class SyntheticCellView(Record):
    """The same measure on the synthetic corpus (default tagger, linker held out by writer)."""

    documents: int
    writers: int
    tagger: str
    gold_cells: int
    pooled: Score


@dataclass(frozen=True)
class ExtractionEvaluation(Record):
    """Leave-one-report-out cell F1 of the chain tag → link → read the value → cell."""

    cell_f1: float  # the headline: systems[tagger].pooled.f1
    tagger: str
    linker: str
    protocol: str
    bootstrap: Bootstrap
    gold_cells: int
    gold_cells_without_value: int
    systems: dict[str, SystemScores]
    synthetic: SyntheticCellView | str  # a note instead when the view could not be run
    target: float


def read_extraction_evaluation(path: Path) -> ExtractionEvaluation:
    return ExtractionEvaluation.from_file(path)
