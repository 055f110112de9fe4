"""Typed link results: ``annotation/links/agreement.json`` (two passes) and ``eval/links/lodo.json`` (the linker).

Each JSON key is spelled once, as a field here (label-named fields keep the JSON's own spelling); the producers
(:mod:`~fazhi_ner.links.agreement`, :mod:`~fazhi_ner.links.evaluate`) make these records and every reader goes
through :func:`read_link_agreement` / :func:`read_link_evaluation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.results import Interval, Record


@dataclass(frozen=True)
class PairSummary(Record):
    """Two raters' links of the same mentions: n, agreements, accuracy and Cohen's kappa with 95% intervals."""

    n: int
    agree: int
    accuracy: float
    accuracy_ci: Interval
    kappa: float
    kappa_ci: Interval


@dataclass(frozen=True)
class Bootstrap(Record):
    """A percentile bootstrap: how many resamples of which unit, the seed and the interval's level."""

    resamples: int
    seed: int
    unit: str
    level: float


@dataclass(frozen=True)
class LinkDisagreement(Record):
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    pass1: str
    pass2: str


@dataclass(frozen=True)
class LinkAgreement(Record):
    """Pass 1 against pass 2 over the reports linked in both."""

    reports: list[str]
    bootstrap: Bootstrap
    all: PairSummary
    INDICATOR: PairSummary
    AGENCY: PairSummary
    disagreements: list[LinkDisagreement]


@dataclass(frozen=True)
class LinkMistake(Record):
    """A held-out mention the linker got wrong."""

    doc_id: str
    start: int
    label: str
    text: str
    gold: str
    predicted: str


@dataclass(frozen=True)
class FoldAccuracy(Record):
    n: int
    accuracy: float


@dataclass(frozen=True)
class ReportAccuracy(Record):
    """One held-out report's accuracy per linked label."""

    INDICATOR: FoldAccuracy
    AGENCY: FoldAccuracy


@dataclass(frozen=True)
class SyntheticLinkView(Record):
    """The synthetic corpus as held-out data: models trained on the real gold only, and grouped CV by writer."""

    documents: int
    groups: int
    INDICATOR: PairSummary  # trained on the real gold only
    AGENCY_rules: PairSummary
    INDICATOR_cv: PairSummary
    AGENCY: PairSummary  # learned, grouped CV


@dataclass(frozen=True)
class LinkEvaluation(Record):
    """Leave-one-document-out accuracy of the linker over the link gold (and the synthetic view)."""

    linker: str
    training_extra_indicators: int
    protocol: str
    bootstrap: Bootstrap
    INDICATOR: PairSummary
    AGENCY: PairSummary
    AGENCY_rules: float
    INDICATOR_majority_baseline: float
    per_report: dict[str, ReportAccuracy]
    errors: list[LinkMistake]
    note: str
    training_sources: list[str]
    synthetic: SyntheticLinkView | None  # null until the synthetic corpus has links


def read_link_agreement(path: Path) -> LinkAgreement:
    return LinkAgreement.from_file(path)


def read_link_evaluation(path: Path) -> LinkEvaluation:
    return LinkEvaluation.from_file(path)
