"""Leaderboard submissions: ``eval/submissions/<name>/`` with ``submission.yaml`` and prediction files.

The submission format is defined here once, for writers (the baselines) and the reader (the
leaderboard): the metadata fields, the prediction file names and the JSONL line. Metadata is
checked field by field so a malformed submission is rejected with the file and field named,
before anything is scored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from fazhi_ner.errors import SubmissionError
from fazhi_ner.formats.jsonl import write_jsonl
from fazhi_ner.spans import Span, sort_spans
from fazhi_ner.splits import FOLD_ORDER
from fazhi_ner.yamlfile import read_yaml_mapping

SYSTEM_TYPES: tuple[str, ...] = ("rules", "feature-based", "neural", "pretrained", "human", "other")
REQUIRED: tuple[str, ...] = ("system", "description", "type", "training_data", "link", "date")
OPTIONAL: tuple[str, ...] = ("contact", "uses_rule_tagger")
METADATA = "submission.yaml"
TEST_FILE = "predictions.jsonl"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_FOLD_FILE = re.compile(r"^predictions\.fold(\d+)(?:\.seed(\d+))?\.jsonl$")
_OTHER_SPLITS = ("train", "validation")  # predictions of other splits may sit beside, unscored


def prediction_file_name(split: str = "test", fold: int | None = None, seed: int | None = None) -> str:
    """``predictions.jsonl`` (test), ``predictions.<split>.jsonl``, ``predictions.fold<k>.jsonl`` or
    ``predictions.fold<k>.seed<s>.jsonl`` (one file per seed when a system ran several)."""
    if fold is not None:
        return f"predictions.fold{fold}.jsonl" if seed is None else f"predictions.fold{fold}.seed{seed}.jsonl"
    return TEST_FILE if split == "test" else f"predictions.{split}.jsonl"


def predictions_jsonl(predictions: Mapping[str, Sequence[Span]]) -> str:
    """One line per sentence, sorted by id: ``{"id", "spans": [{"start", "end", "label"}]}``, sentence offsets."""
    return write_jsonl(
        {"id": sid, "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in sort_spans(predictions[sid])]}
        for sid in sorted(predictions)
    )


def metadata_yaml(meta: Mapping[str, object]) -> str:
    """``submission.yaml`` text: the required fields in their fixed order (then ``contact``), nothing else."""
    missing = [k for k in REQUIRED if k not in meta]
    unknown = sorted(set(meta) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise SubmissionError(f"{METADATA}: fields missing {missing} or unknown {unknown}")
    ordered = {k: meta[k] for k in (*REQUIRED, *OPTIONAL) if k in meta}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


@dataclass(frozen=True)
class Submission:
    name: str
    folder: Path
    system: str
    description: str
    type: str
    training_data: tuple[str, ...]
    link: str
    date: str
    contact: str | None
    fold_files: tuple[tuple[int, int, Path], ...]  # (fold, seed, file); seed 0 when the name carries none
    uses_rule_tagger: bool | None = None  # None: the submitter did not say

    def fold_files_by_seed(self) -> dict[int, dict[int, Path]]:
        """{seed: {fold: file}}: one complete cross-validation run per seed."""
        out: dict[int, dict[int, Path]] = {}
        for fold, seed, path in self.fold_files:
            out.setdefault(seed, {})[fold] = path
        return out

    @property
    def test_file(self) -> Path:
        return self.folder / TEST_FILE


def _text(meta: dict, key: str, where: Path) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SubmissionError(f"{where}: field {key!r} expected a non-empty string, found {value!r}")
    return value.strip()


def load_submission(folder: Path) -> Submission:
    """Read and validate one submission folder."""
    name = folder.name
    if not _NAME.match(name):
        raise SubmissionError(
            f"{folder}: folder name expected lowercase letters, digits, '.', '_' or '-', found {name!r}"
        )
    meta_path = folder / METADATA
    if not meta_path.is_file():
        raise SubmissionError(f"{meta_path}: missing; every submission needs {METADATA}")
    meta = read_yaml_mapping(meta_path, SubmissionError, what="a mapping of fields")
    unknown = sorted(set(map(str, meta)) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SubmissionError(f"{meta_path}: unknown field {unknown[0]!r}; expected {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in meta:
            raise SubmissionError(f"{meta_path}: field {key!r} is missing")
    system_type = _text(meta, "type", meta_path)
    if system_type not in SYSTEM_TYPES:
        raise SubmissionError(
            f"{meta_path}: field 'type' expected one of {', '.join(SYSTEM_TYPES)}, found {system_type!r}"
        )
    raw_date = meta["date"]
    if isinstance(raw_date, dt.date):
        date = raw_date.isoformat()
    else:
        date = str(raw_date)
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise SubmissionError(f"{meta_path}: field 'date' expected YYYY-MM-DD, found {raw_date!r}") from None
    link = _text(meta, "link", meta_path)
    if not link.startswith(("https://", "http://")):
        raise SubmissionError(f"{meta_path}: field 'link' expected an http(s) URL, found {link!r}")
    training = meta["training_data"]
    if isinstance(training, str):
        training = [training]
    if not isinstance(training, list) or not training or not all(isinstance(t, str) and t.strip() for t in training):
        raise SubmissionError(
            f"{meta_path}: field 'training_data' expected a string or a list of strings, found {training!r}"
        )
    contact = meta.get("contact")
    if contact is not None and not isinstance(contact, str):
        raise SubmissionError(f"{meta_path}: field 'contact' expected a string, found {contact!r}")
    uses_rules = meta.get("uses_rule_tagger")
    if uses_rules is not None and not isinstance(uses_rules, bool):
        raise SubmissionError(f"{meta_path}: field 'uses_rule_tagger' expected true or false, found {uses_rules!r}")
    if not (folder / TEST_FILE).is_file():
        raise SubmissionError(f"{folder / TEST_FILE}: missing; every submission needs test-split predictions")
    folds: list[tuple[int, int, Path]] = []
    for path in sorted(folder.glob("predictions.*")):
        if path.name == TEST_FILE or path.name in {prediction_file_name(s) for s in _OTHER_SPLITS}:
            continue
        found = _FOLD_FILE.match(path.name)
        if not found or int(found.group(1)) >= len(FOLD_ORDER):
            raise SubmissionError(
                f"{path}: unexpected prediction file; expected {TEST_FILE} or predictions.fold<k>[.seed<s>].jsonl "
                f"with k in 0..{len(FOLD_ORDER) - 1}"
            )
        folds.append((int(found.group(1)), int(found.group(2) or 0), path))
    return Submission(
        name=name,
        folder=folder,
        system=_text(meta, "system", meta_path),
        description=_text(meta, "description", meta_path),
        type=system_type,
        training_data=tuple(t.strip() for t in training),
        link=link,
        date=date,
        contact=contact.strip() if isinstance(contact, str) and contact.strip() else None,
        fold_files=tuple(sorted(folds)),
        uses_rule_tagger=uses_rules,
    )


def discover_submissions(root: Path) -> list[Submission]:
    """Every submission folder under ``root`` (sorted by name); hidden folders are skipped."""
    if not root.is_dir():
        return []
    return [load_submission(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
