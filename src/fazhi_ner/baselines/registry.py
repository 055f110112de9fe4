"""Baselines by name. Classes are imported lazily so the registry costs nothing to import."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_ner.baselines.base import Baseline, load_config
from fazhi_ner.errors import BaselineError

if TYPE_CHECKING:  # the targets of _CLASSES, imported lazily below; static here so import-linter sees them
    from fazhi_ner.baselines import (  # noqa: F401
        bilstm_model,
        crf_model,
        lac_tune_model,
        rules_model,
        spacy_model,
        transformers_model,
    )

_CLASSES: dict[str, str] = {
    "rules": "fazhi_ner.baselines.rules_model:RulesBaseline",
    "crf": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "crf-lac": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "crf-rules": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "bilstm": "fazhi_ner.baselines.bilstm_model:BiLstmCrfBaseline",
    "lac-tune": "fazhi_ner.baselines.lac_tune_model:LacTuneBaseline",
    "spacy": "fazhi_ner.baselines.spacy_model:SpacyBaseline",
    "transformers": "fazhi_ner.baselines.transformers_model:TransformersBaseline",
}
BASELINE_NAMES: tuple[str, ...] = tuple(_CLASSES)


def baseline_class(name: str) -> type[Baseline]:
    try:
        target = _CLASSES[name]
    except KeyError:
        raise BaselineError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINE_NAMES)}") from None
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def create(name: str, seed: int = 0, *, config_directory: Path | None = None) -> Baseline:
    """A fresh, untrained baseline configured from ``baselines/<name>.yaml``."""
    cls = baseline_class(name)
    return cls(load_config(name, config_directory), seed=seed)


@dataclass(frozen=True)
class Choice:
    name: str
    lodo_f1: float
    uses_rule_tagger: bool


def best_model(
    *, allow_rule_tagger: bool = True, learned_only: bool = False, results_path: Path | None = None
) -> Choice:
    """The registered model with the highest LODO pooled F1 in eval/baselines.json.

    LODO (not test) decides, because the test report is one report; ``allow_rule_tagger=False`` skips the
    rules and the stacked models that read them; ``learned_only`` skips the rule tagger itself (it has no
    confidence scores to order annotation by). ``fazhi tag`` defaults to ``best_model(learned_only=True)``.
    """
    from fazhi_ner.baselines.results import FILE_NAME, Baselines
    from fazhi_ner.paths import eval_dir

    path = results_path or eval_dir() / FILE_NAME
    if not path.is_file():
        raise BaselineError(f"{path}: no baseline results; run `fazhi baselines reproduce` first")
    rows = Baselines.from_file(path).baselines
    choices = [
        Choice(name, row.lodo_f1, bool(row.uses_rule_tagger))
        for name, row in rows.items()
        if name in _CLASSES
        and (allow_rule_tagger or not row.uses_rule_tagger)
        and not (learned_only and row.type == "rules")
    ]
    if not choices:
        raise BaselineError(f"{path}: no registered model qualifies")
    return max(choices, key=lambda c: (c.lodo_f1, c.name))
