"""The rule pre-annotator as a baseline: no training, predictions from fazhi_ner.rules.annotate.

Its rules were written while reading the corpus (test report included), so its test score is optimistic.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.spans import Span


def _annotate():
    try:
        from fazhi_ner.rules import annotate
    except ImportError as exc:
        raise BaselineError(f"rules baseline: fazhi_ner.rules.annotate is not available ({exc})") from None
    return annotate


class RulesBaseline(Baseline):
    trainable = False

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        log("rules: nothing to train")
        self.info = {"training": "none"}

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        annotate = _annotate()
        return [spans_with_text(annotate(text), text) for text in texts]

    def _save_files(self, directory: Path) -> None:
        return None

    def _load_files(self, directory: Path) -> None:
        return None
