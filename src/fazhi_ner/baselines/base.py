"""The common baseline interface: fit on examples, predict spans for texts, save to and load from a folder.

A saved model is a folder holding ``meta.json`` (name, seed, the config it was trained with and what
training chose) plus the model's own files, so a model can be loaded without its YAML file.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from fazhi_ner.atomic import atomic_directory, atomic_write_text
from fazhi_ner.baselines.scored import Scored, split_agencies, unscored
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.paths import baselines_dir
from fazhi_ner.spans import Span
from fazhi_ner.yamlfile import read_yaml_mapping

SYSTEM_TYPES = ("rules", "feature-based", "neural")
META_FILE = "meta.json"
Log = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class BaselineConfig:
    """One baseline's YAML config: leaderboard metadata plus model parameters."""

    name: str
    system: str
    type: str
    description: str
    training_data: str
    link: str
    date: str
    deterministic: bool = True
    uses_rule_tagger: bool = False  # reads fazhi_ner.rules output, so it inherits the rules' test-set advantage
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str) -> BaselineConfig:
        required = ("name", "system", "type", "description", "training_data", "link", "date")
        missing = [k for k in required if not isinstance(data.get(k), str) or not data.get(k)]
        if missing:
            raise BaselineError(f"{where}: expected non-empty string keys {', '.join(missing)}; found {sorted(data)}")
        if not str(data["link"]).startswith(("https://", "http://")):
            raise BaselineError(f"{where}: link expected an http(s) URL, found {data['link']!r}")
        if data["type"] not in SYSTEM_TYPES:
            raise BaselineError(f"{where}: type expected one of {', '.join(SYSTEM_TYPES)}, found {data['type']!r}")
        params = data.get("params") or {}
        uses_rules = data.get("uses_rule_tagger")
        if not isinstance(uses_rules, bool):
            raise BaselineError(f"{where}: uses_rule_tagger expected true or false, found {uses_rules!r}")
        if not isinstance(params, dict):
            raise BaselineError(f"{where}: params expected a mapping, found {type(params).__name__}")
        return cls(
            name=data["name"],
            system=data["system"],
            type=data["type"],
            description=" ".join(str(data["description"]).split()),
            training_data=data["training_data"],
            link=data["link"],
            date=str(data["date"]),
            deterministic=bool(data.get("deterministic", True)),
            uses_rule_tagger=uses_rules,
            params=dict(params),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "system": self.system,
            "type": self.type,
            "description": self.description,
            "training_data": self.training_data,
            "link": self.link,
            "date": self.date,
            "deterministic": self.deterministic,
            "uses_rule_tagger": self.uses_rule_tagger,
            "params": self.params,
        }


def config_path(name: str, directory: Path | None = None) -> Path:
    return (directory or baselines_dir()) / f"{name}.yaml"


def load_config(name: str, directory: Path | None = None) -> BaselineConfig:
    """Read ``baselines/<name>.yaml``; errors name the file."""
    path = config_path(name, directory)
    if not path.is_file():
        raise BaselineError(f"{path}: baseline config not found for {name!r}")
    data = read_yaml_mapping(path, BaselineError, what="a mapping at the top level")
    config = BaselineConfig.from_dict(data, str(path))
    if config.name != name:
        raise BaselineError(f"{path}: name expected {name!r}, found {config.name!r}")
    return config


class Baseline(ABC):
    """A named NER system. Subclasses implement fit, predict and the model-file half of save/load."""

    trainable: ClassVar[bool] = True

    def __init__(self, config: BaselineConfig, seed: int = 0) -> None:
        self.config = config
        self.seed = seed
        self.info: dict[str, Any] = {}  # what training chose (hyper-parameters, dev scores); saved in meta.json

    @property
    def name(self) -> str:
        return self.config.name

    @abstractmethod
    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        """Train on ``train``; ``dev`` (disjoint documents) may only be used for model selection."""

    @abstractmethod
    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans (text-relative offsets, sorted, non-overlapping, with their text) for each text."""

    def score(self, texts: Sequence[str]) -> list[Scored]:
        """Spans of :meth:`predict` with this model's confidences.

        The fallback for a model without probabilities (rules, and the neural baselines, whose predict does
        not expose them): the same spans, every score None. A model with calibrated scores overrides this.
        """
        return [unscored(spans) for spans in self.predict(texts)]

    def predict_scored(self, texts: Sequence[str]) -> list[Scored]:
        """What every caller (``fazhi tag``, push, the ML backend, extract) uses: :meth:`score` plus the decoding
        step every model shares (an agency at the start of an INDICATOR gets its own span)."""
        if not texts:
            return []
        results = self.score(list(texts))
        return [split_agencies(result, text) for result, text in zip(results, texts, strict=True)]

    @property
    def version(self) -> str:
        """A short version for predictions: name plus a hash of what training chose (differs when models do)."""
        import hashlib

        info = json.dumps(self.info or {}, sort_keys=True, ensure_ascii=False)
        return f"{self.name}-{hashlib.sha256(info.encode('utf-8')).hexdigest()[:8]}"

    @classmethod
    def restore(cls, directory: Path) -> Baseline:
        """Load a model of this class saved in ``directory`` (its meta.json gives config, seed and info)."""
        meta = read_meta(directory)
        config = BaselineConfig.from_dict(meta["config"], str(directory / META_FILE))
        model = cls(config, seed=int(meta["seed"]))
        model.info = dict(meta.get("info") or {})
        model._load_files(directory)
        return model

    @abstractmethod
    def _save_files(self, directory: Path) -> None:
        """Write the model's own files into ``directory`` (a fresh staging folder)."""

    @abstractmethod
    def _load_files(self, directory: Path) -> None:
        """Restore the model from the files written by :meth:`_save_files`."""

    def save(self, directory: Path) -> Path:
        """Write the model folder atomically (the previous model stays until the new one is complete)."""
        with atomic_directory(directory) as staging:
            self._save_files(staging)
            meta = {"name": self.name, "seed": self.seed, "config": self.config.as_dict(), "info": self.info}
            atomic_write_text(
                staging / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            )
        return directory


def read_meta(directory: Path) -> dict[str, Any]:
    path = directory / META_FILE
    if not path.is_file():
        raise BaselineError(
            f"{directory}: no trained model here ({META_FILE} missing); run `fazhi baselines train NAME` first"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: malformed JSON ({exc.msg})") from None
    if not isinstance(meta, dict) or not {"name", "seed", "config"} <= meta.keys():
        raise BaselineError(f"{path}: expected keys name, seed, config")
    return meta


def load_model(directory: Path) -> Baseline:
    """Load any saved baseline: ``meta.json`` names its class in the registry."""
    from fazhi_ner.baselines.registry import baseline_class

    return baseline_class(read_meta(directory)["name"]).restore(directory)


def spans_with_text(spans: Sequence[Span], text: str) -> list[Span]:
    """Sorted spans carrying the text they cover (predictions are compared by offsets and label)."""
    return sorted((Span(s.start, s.end, s.label, text[s.start : s.end]) for s in spans), key=lambda s: (s.start, s.end))
