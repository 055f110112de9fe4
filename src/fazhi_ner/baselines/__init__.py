"""Baseline NER models behind one small interface (train, predict, save, load) and a registry by name.

Heavy libraries (sklearn-crfsuite, spaCy, transformers) are imported only by the baseline that needs them.
"""

from fazhi_ner.baselines.base import Baseline, BaselineConfig, load_config, load_model
from fazhi_ner.baselines.registry import BASELINE_NAMES, baseline_class, create

__all__ = [
    "BASELINE_NAMES",
    "Baseline",
    "BaselineConfig",
    "baseline_class",
    "create",
    "load_config",
    "load_model",
]
