"""Leaderboard files of a baseline: predictions.jsonl (+ per-fold files) and submission.yaml.

The format (file names, JSONL line, metadata fields) is defined once in
:mod:`fazhi_ner.evaluation.submission`; submission.yaml takes its date from the config, so files are
deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.baselines.base import BaselineConfig
from fazhi_ner.evaluation.submission import METADATA, TEST_FILE, metadata_yaml, predictions_jsonl
from fazhi_ner.paths import eval_dir
from fazhi_ner.spans import Span

__all__ = ["predictions_jsonl", "submission_yaml", "submissions_dir", "write_predictions", "write_submission_folder"]


def submissions_dir() -> Path:
    return eval_dir() / "submissions"


def submission_yaml(config: BaselineConfig) -> str:
    return metadata_yaml(
        {
            "system": config.system,
            "description": config.description,
            "type": config.type,
            "training_data": config.training_data,
            "link": config.link,
            "date": config.date,
            "uses_rule_tagger": config.uses_rule_tagger,
        }
    )


def write_predictions(
    config: BaselineConfig,
    predictions: Mapping[str, Sequence[Span]],
    *,
    filename: str = TEST_FILE,
    root: Path | None = None,
) -> Path:
    """Write one prediction file and the submission metadata into ``<root>/<name>/``; returns the file."""
    folder = (root or submissions_dir()) / config.name
    path = folder / filename
    atomic_write_text(path, predictions_jsonl(predictions))
    atomic_write_text(folder / METADATA, submission_yaml(config))
    return path


def write_submission_folder(
    config: BaselineConfig,
    test_predictions: Mapping[str, Sequence[Span]],
    fold_predictions: Mapping[tuple[int, int], Mapping[str, Sequence[Span]]],
    *,
    root: Path | None = None,
) -> Path:
    """A whole leaderboard folder: the test predictions, one file per (fold, seed) and submission.yaml.

    Fold files of an earlier run are removed first: a run with other seeds must not leave files a vote or the
    leaderboard would read beside the new ones.
    """
    from fazhi_ner.baselines.protocol import fold_filename

    folder = (root or submissions_dir()) / config.name
    for old in folder.glob("predictions.fold*.jsonl"):
        old.unlink()
    write_predictions(config, test_predictions, root=root)
    seeds = sorted({seed for _, seed in fold_predictions})
    for (fold, seed), predictions in sorted(fold_predictions.items()):
        write_predictions(config, predictions, filename=fold_filename(fold, seed, seeds), root=root)
    return folder
