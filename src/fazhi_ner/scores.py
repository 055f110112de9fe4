"""The typed records of the scores every results file shares, and of eval/leaderboard.json.

Each JSON key of eval/baselines.json's test and cross-validation figures, of eval/synthetic_study.json's
pooled figures and of eval/leaderboard.json is spelled once: here (the file-level records of the baselines
are :mod:`fazhi_ner.baselines.results`). A core module, so the dataset card can read the leaderboard without
importing the evaluation stage; :mod:`fazhi_ner.evaluation.summary` computes these records and
:mod:`fazhi_ner.evaluation.leaderboard` builds the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.results import Record, field

LEADERBOARD_FILE = "leaderboard.json"


@dataclass(frozen=True)
class MeanStd(Record):
    """A figure over seeds: mean, sample std and the value of each seed (:func:`mean_std`)."""

    mean: float
    std: float
    per_seed: list[float]


@dataclass(frozen=True)
class Score(Record):
    """Strict precision, recall and F1, with the bootstrap CI when the evaluation bootstrapped."""

    precision: float
    recall: float
    f1: float
    ci: list[float] | None


@dataclass(frozen=True)
class LabelScore(Score):
    support: int


@dataclass(frozen=True)
class SplitSummary(Record):
    """The scoring row of one evaluation: what eval/baselines.json's ``test`` and each leaderboard row show."""

    micro: Score
    macro_f1: float
    per_label: dict[str, LabelScore]
    partial_f1: dict[str, float]  # by partial-match schema
    invalid_iob2_transitions: int
    error_counts: dict[str, int] | None = field(omit_if=None)  # by error kind; the leaderboard leaves it out


@dataclass(frozen=True)
class Pooled(Record):
    """Leave-one-report-out F1 pooled over every held-out sentence, per seed (None when nothing was pooled)."""

    seeds: list[int]
    pooled: MeanStd | None = field(key="pooled_micro_f1")
    per_label: dict[str, MeanStd] | None = field(key="pooled_per_label_f1")


@dataclass(frozen=True)
class FoldScore(Record):
    fold: int
    heldout: str  # the document held out
    micro_f1: MeanStd
    dev: str | None = field(omit_if=None)  # the development report (baselines only)


@dataclass(frozen=True)
class CvSummary(Pooled):
    """:func:`cv_summary`; the baselines add their agency-absorbed count and training time."""

    method: str
    folds: list[FoldScore]
    agency_absorbed: float | None = field(omit_if=None)
    train_seconds_total: float | None = field(omit_if=None)


@dataclass(frozen=True)
class SystemRow(Record):
    """One scored submission: its submission.yaml fields, the shared test summary and the LODO summary."""

    name: str
    system: str
    description: str
    type: str
    training_data: list[str]
    link: str
    date: str
    uses_rule_tagger: bool | None  # None: the submission does not say
    micro: Score
    macro_f1: float
    per_label: dict[str, LabelScore]
    partial_f1: dict[str, float]
    invalid_iob2_transitions: int
    rank: int
    contact: str | None = field(omit_if=None)
    cv: CvSummary | None = field(omit_if=None)


@dataclass(frozen=True)
class Cell(Record):
    f1: float | None
    ci: list[float] | None


@dataclass(frozen=True)
class HumanCeiling(Record):
    """The agreement row (evaluation.leaderboard.human_ceiling): a ceiling, not a system."""

    name: str
    system: str
    type: str
    micro: Cell
    per_label: dict[str, Cell]
    docs: list[str]
    source: str


@dataclass(frozen=True)
class Bootstrap(Record):
    resamples: int
    seed: int
    unit: str


@dataclass(frozen=True)
class Leaderboard(Record):
    """The whole of eval/leaderboard.json (written with sorted keys)."""

    SORT_KEYS = True

    dataset_version: str
    metric: str
    bootstrap: Bootstrap
    test_fingerprint: str | None
    test_sentences: int
    labels: list[str]
    systems: list[SystemRow]
    human_ceiling: HumanCeiling | None


def read_leaderboard(directory: Path) -> Leaderboard:
    """``directory``/leaderboard.json; a wrong shape is a ResultFormatError naming the file."""
    return Leaderboard.from_file(directory / LEADERBOARD_FILE)
