"""Baselines by name. Classes are imported lazily so the registry costs nothing to import."""

from __future__ import annotations

import importlib
from pathlib import Path

from fazhi_ner.baselines.base import Baseline, load_config
from fazhi_ner.errors import BaselineError

_CLASSES: dict[str, str] = {
    "rules": "fazhi_ner.baselines.rules_model:RulesBaseline",
    "crf": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "crf-lac": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "crf-rules": "fazhi_ner.baselines.crf_model:CrfBaseline",
    "bilstm": "fazhi_ner.baselines.bilstm_model:BiLstmCrfBaseline",
    "bilstm-rules": "fazhi_ner.baselines.bilstm_model:BiLstmCrfBaseline",
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
