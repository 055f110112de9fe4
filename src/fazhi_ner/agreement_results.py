"""The typed agreement result: ``annotation/agreement.json`` and ``annotation/synthetic/agreement.json``.

Each JSON key is spelled once, as a field here; :mod:`fazhi_ner.annotation.agreement` makes the record and renders
its Markdown, and every reader (CLI, card sections, leaderboard) goes through :func:`read_agreement`. A core module,
not part of the annotation stage, because the dataset card and the leaderboard (lower layers) read it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import ResultFormatError
from fazhi_ner.results import Interval, Record, field


@dataclass(frozen=True)
class Estimate(Record):
    """An F1 with its 95% bootstrap interval."""

    f1: float
    ci: Interval


@dataclass(frozen=True)
class KappaEstimate(Record):
    kappa: float
    ci: Interval


@dataclass(frozen=True)
class LabelAgreement(Record):
    """Strict F1 of one label, with the span counts of each pass and the spans identical in both."""

    f1: float
    ci: Interval
    a: int
    b: int
    exact: int


@dataclass(frozen=True)
class DocAgreement(Record):
    strict_f1: float
    a: int
    b: int
    exact: int


@dataclass(frozen=True)
class StrictAgreement(Record):
    micro: Estimate
    per_label: dict[str, LabelAgreement]


@dataclass(frozen=True)
class SpanTotals(Record):
    a: int
    b: int


@dataclass(frozen=True)
class SentenceBootstrap(Record):
    resamples: int
    seed: int
    unit: str
    interval: str


@dataclass(frozen=True)
class Agreement(Record):
    """Two independent passes compared (pass A is the reference only for the direction of "missed")."""

    pass_a: str
    pass_b: str
    docs: list[str]
    body_characters: int
    sentences: int
    characters: int
    spans: SpanTotals
    strict: StrictAgreement
    per_doc: dict[str, DocAgreement]
    partial: Estimate
    kappa_char_iob2: KappaEstimate
    disagreements: dict[str, int]  # kind -> count
    disagreements_by_label: dict[str, dict[str, int]]  # label -> kind -> count
    bootstrap: SentenceBootstrap
    share_of_characters: float | None = field(omit_if=None)  # of the corpus (synthetic agreement only)


def read_agreement(path: Path) -> Agreement:
    """The agreement in ``path``; :class:`~fazhi_ner.errors.ResultFormatError` naming the file otherwise."""
    return Agreement.from_file(path)


def read_synthetic_agreement(path: Path) -> Agreement:
    """The synthetic corpus' agreement, which must say what share of the corpus was annotated twice."""
    agreement = read_agreement(path)
    if agreement.share_of_characters is None:
        raise ResultFormatError(f"{path}: missing key 'share_of_characters' for the synthetic corpus' Agreement")
    return agreement
