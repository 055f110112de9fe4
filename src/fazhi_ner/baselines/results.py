"""eval/baselines.json as typed records: every key of the file is spelled here once.

``fazhi baselines reproduce`` builds a :class:`Baselines`; ``report``, ``check``, ``best`` and the variants
read one with :func:`load`. The test and cross-validation figures are the shared records of
:mod:`fazhi_ner.scores` (the leaderboard shows the same ones); the error examples are
:mod:`fazhi_ner.evaluation.error_analysis`'s. Mappings keyed by data (model, label, variant, form) are
``dict[str, ...]``. A model's ``training`` block is the model's own ``info`` (each model says what it chose),
kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fazhi_ner.evaluation.error_analysis import ErrorSummary
from fazhi_ner.results import Record, field
from fazhi_ner.scores import CvSummary, Pooled, SplitSummary

FILE_NAME = "baselines.json"


@dataclass(frozen=True)
class Gold(Record):
    """The test gold the results were scored against (results on other gold are never mixed)."""

    test_fingerprint: str
    test_sentences: int


@dataclass(frozen=True)
class Protocol(Record):
    metric: str
    main: str
    cross_validation: str
    seeds: list[int]
    learning_curve_fractions: list[float]
    learning_curve_subset_seed: int
    tolerance: float
    tolerance_note: str


@dataclass(frozen=True)
class Cost(Record):
    """fazhi_ner.baselines.cost: measured in a fresh process."""

    train_seconds: float
    predict_seconds: float
    predict_chars: int
    chars_per_second: int | None
    model_bytes: int
    peak_rss_mib: float
    peak_rss_note: str
    train_sentences: int


@dataclass(frozen=True)
class CurvePoint(Record):
    fraction: float
    train_sentences: int
    test_micro_f1: float


@dataclass(frozen=True)
class SeedSpread(Record):
    """Test F1 of the main model and of the same training with the other seeds."""

    split: str
    seeds: list[int]
    test_micro_f1: list[float]
    mean: float
    std: float


@dataclass(frozen=True)
class BaselineRow(Record):
    type: str
    description: str
    training_data: str
    deterministic: bool
    uses_rule_tagger: bool
    training: dict[str, Any]  # the model's own info (what it chose on the development report)
    test: SplitSummary
    cross_validation: CvSummary
    learning_curve: list[CurvePoint]
    cost: Cost
    errors: ErrorSummary
    seed_spread: SeedSpread | None = field(omit_if=None)

    @property
    def lodo_f1(self) -> float:
        """LODO pooled F1 (mean over seeds): what ranks models everywhere (0 when nothing was pooled)."""
        return lodo_f1(self.cross_validation)


def lodo_f1(cv: Pooled, label: str | None = None) -> float:
    """The pooled F1 mean of ``cv`` (micro, or of ``label``); 0 when nothing was pooled."""
    if label is None:
        return float(cv.pooled.mean) if cv.pooled else 0.0
    return float(cv.per_label[label].mean) if cv.per_label else 0.0


@dataclass(frozen=True)
class FormRobustness(Record):
    description: str
    variants: list[str]
    targets: dict[str, float]  # by variant
    models: dict[str, dict[str, float]]  # model -> variant -> span-multiset F1


@dataclass(frozen=True)
class AblationRow(Record):
    variant: str
    families: list[str]
    uses_rule_tagger: bool
    same_as: str | None  # the baseline whose identical run was reused
    cross_validation: CvSummary


@dataclass(frozen=True)
class Ablation(Record):
    base: str
    params: dict[str, Any]
    rows: list[AblationRow]


@dataclass(frozen=True)
class AugmentRow(Record):
    variant: str
    augment: dict[str, Any]
    cross_validation: CvSummary
    judges_base: bool  # the row switches the base's augmentation off: "kept" is about the base's
    gain: float
    kept: bool


@dataclass(frozen=True)
class Augmentation(Record):
    base: str
    base_f1: float
    base_augment: dict[str, Any] | None
    rows: list[AugmentRow]


@dataclass(frozen=True)
class EnsembleRow(Record):
    """A vote; without ``cross_validation`` it was not computed (``not_computed`` says why)."""

    name: str
    members: list[str]
    min_votes: int
    uses_rule_tagger: bool
    not_computed: str | None = field(omit_if=None)
    submission: str | None = field(omit_if=None)
    cross_validation: CvSummary | None = field(omit_if=None)
    best_member: str | None = field(omit_if=None)
    best_member_f1: float | None = field(omit_if=None)
    gain: float | None = field(omit_if=None)
    kept: bool | None = field(omit_if=None)
    measured_kept: bool | None = field(omit_if=None)  # with a recorded decision: this run's own verdict
    recorded: bool = field(omit_if=False)  # ``kept`` is the decision recorded in baselines/reproduce.yaml


@dataclass(frozen=True)
class AugmentationAndEnsembles(Record):
    min_gain: float
    augmentation: Augmentation | None = field(omit_if=None)
    ensembles: list[EnsembleRow] = field(default_factory=list)


@dataclass(frozen=True)
class StudyRow(Pooled):
    """One row of eval/synthetic_study.json: LODO of one model trained with one share of the synthetic corpus."""

    model: str
    share: float
    train_seconds_total: float


@dataclass(frozen=True)
class Baselines(Record):
    """The whole of eval/baselines.json (written with sorted keys)."""

    SORT_KEYS = True

    command: str
    gold: Gold
    protocol: Protocol
    baselines: dict[str, BaselineRow]
    form_robustness: FormRobustness | None = field(omit_if=None)
    ablation: Ablation | None = field(omit_if=None)
    augmentation_and_ensembles: AugmentationAndEnsembles | None = field(omit_if=None)
    synthetic_study: list[StudyRow] = field(default_factory=list)

    def keep_earlier(self, earlier: Baselines | None, order: Sequence[str]) -> Baselines:
        """With ``--only``: the rows of ``earlier`` results on the same gold that this run did not redo (baseline
        rows in ``order``, then by name; the ablation; the form figures of the models not rerun)."""
        if earlier is None or earlier.gold != self.gold:
            return self  # scored against other gold: nothing to keep
        rows = {**earlier.baselines, **self.baselines}
        baselines = {n: rows[n] for n in [*order, *sorted(rows)] if n in rows}
        forms = self.form_robustness
        if forms is not None and earlier.form_robustness is not None and earlier.form_robustness.models:
            models = {**earlier.form_robustness.models, **forms.models}
            forms = replace(forms, models={n: models[n] for n in sorted(models) if n in baselines})
        return replace(self, baselines=baselines, ablation=self.ablation or earlier.ablation, form_robustness=forms)


@dataclass(frozen=True)
class SyntheticStudy(Record):
    """The whole of eval/synthetic_study.json (written with sorted keys)."""

    SORT_KEYS = True

    command: str
    protocol: str
    rows: list[StudyRow]


def load(eval_root: Path) -> Baselines:
    """eval/baselines.json under ``eval_root``; a wrong shape is a ResultFormatError naming the file."""
    return Baselines.from_file(eval_root / FILE_NAME)


def load_if_present(eval_root: Path) -> Baselines | None:
    path = eval_root / FILE_NAME
    return Baselines.from_file(path) if path.is_file() else None
