"""Leaderboard files of a baseline: predictions.jsonl (+ per-fold files) and submission.yaml.

predictions.jsonl has one line per sentence, sorted by id: ``{"id", "spans": [{"start", "end", "label"}]}``
with sentence-relative offsets. submission.yaml takes its date from the config, so files are deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.baselines.base import BaselineConfig
from fazhi_ner.paths import eval_dir
from fazhi_ner.spans import Span, sort_spans


def submissions_dir() -> Path:
    return eval_dir() / "submissions"


def predictions_jsonl(predictions: Mapping[str, Sequence[Span]]) -> str:
    lines = []
    for sentence_id in sorted(predictions):
        spans = [{"start": s.start, "end": s.end, "label": s.label} for s in sort_spans(predictions[sentence_id])]
        lines.append(json.dumps({"id": sentence_id, "spans": spans}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def submission_yaml(config: BaselineConfig) -> str:
    meta = {
        "system": config.system,
        "description": config.description,
        "type": config.type,
        "training_data": config.training_data,
        "link": config.link,
        "date": config.date,
        "uses_rule_tagger": config.uses_rule_tagger,
    }
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)


def write_predictions(
    config: BaselineConfig,
    predictions: Mapping[str, Sequence[Span]],
    *,
    filename: str = "predictions.jsonl",
    root: Path | None = None,
) -> Path:
    """Write one prediction file and the submission metadata into ``<root>/<name>/``; returns the file."""
    folder = (root or submissions_dir()) / config.name
    path = folder / filename
    atomic_write_text(path, predictions_jsonl(predictions))
    atomic_write_text(folder / "submission.yaml", submission_yaml(config))
    return path
