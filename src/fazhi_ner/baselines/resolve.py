"""A registered model resolved once: its class, its config name and its folder in the model cache.

Every caller that wants "model NAME, trained" (``fazhi tag``, ``fazhi_ner.tag()``, ``annotate push --model``,
the ML backend, ``fazhi extract``, ``baselines predict``) resolves the name here, once; training, loading,
predicting and scoring then go through the handle and the model object it returns, never through the registry
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.baselines.base import META_FILE, Baseline, Log, _quiet, load_config
from fazhi_ner.baselines.registry import baseline_class
from fazhi_ner.errors import BaselineError


@dataclass(frozen=True)
class ModelHandle:
    """Model ``name`` of class ``cls``, saved (or to be saved) in ``directory``."""

    name: str
    cls: type[Baseline]
    directory: Path

    @property
    def trained(self) -> bool:
        """Whether :meth:`load` can work without training: saved, or a model with nothing to train (rules)."""
        return not self.cls.trainable or (self.directory / META_FILE).is_file()

    def create(self, seed: int = 0) -> Baseline:
        """A fresh, untrained model configured from ``baselines/<name>.yaml``."""
        return self.cls(load_config(self.name), seed=seed)

    def train(self, *, log: Log = _quiet) -> Path:
        """Train on the main split (model selection on the validation report) and save into :attr:`directory`."""
        from fazhi_ner.baselines.protocol import fit_and_save

        return fit_and_save(self.create(), self.directory, log=log)

    def load(self) -> Baseline:
        """The saved model; an untrainable one (rules) is created from its config when nothing is saved."""
        if not (self.directory / META_FILE).is_file() and not self.cls.trainable:
            return self.create()
        model = self.cls.restore(self.directory)
        if model.name != self.name:
            raise BaselineError(f"{self.directory}: holds a {model.name!r} model, expected {self.name!r}")
        return model


def resolve(name: str, *, fold: int | None = None, models_dir: Path | None = None) -> ModelHandle:
    """The one registry look-up for ``name`` (``BaselineError`` names the registered models when unknown)."""
    from fazhi_ner.baselines.protocol import model_dir

    return ModelHandle(name, baseline_class(name), model_dir(name, fold=fold, root=models_dir))
