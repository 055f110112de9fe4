"""eval/baselines.json, eval/synthetic_study.json and eval/leaderboard.json as typed records (issue 23 item 2).

The committed files round-trip byte for byte through their records; each key of these files is spelled as a
string literal in at most one module (the records name them as fields); a file of the wrong shape is a
ResultFormatError naming the file and the key.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import typing
from pathlib import Path

import pytest

from fazhi_ner.baselines.results import BaselineRow, Baselines, SyntheticStudy, load
from fazhi_ner.errors import ResultFormatError
from fazhi_ner.results import Record
from fazhi_ner.scores import Leaderboard, read_leaderboard

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"
FILES: dict[str, type[Record]] = {
    "baselines.json": Baselines,
    "synthetic_study.json": SyntheticStudy,
    "leaderboard.json": Leaderboard,
}

# Keys of these files that are also ordinary words of other formats, each spelled by the module of that format.
SHARED: dict[str, str] = {
    # submission.yaml fields (evaluation/submission.py reads them; baselines/base.py and submission.py write them)
    "name": "submission.yaml, baseline configs, reproduce.yaml entries",
    "system": "submission.yaml",
    "description": "submission.yaml, baseline configs",
    "type": "submission.yaml, baseline configs, Label Studio, partial-match schemas",
    "training_data": "submission.yaml, baseline configs",
    "link": "submission.yaml, entity links",
    "date": "submission.yaml",
    "uses_rule_tagger": "submission.yaml, baseline configs",
    # baselines/reproduce.yaml, the run's configuration (baselines/protocol.py, variants.py)
    "baselines": "reproduce.yaml and the baselines/ folder",
    "ablation": "reproduce.yaml",
    "base": "reproduce.yaml",
    "params": "baseline configs",
    "seeds": "reproduce.yaml, the seeds/ folder",
    "variants": "reproduce.yaml",
    "models": "the models folder, reproduce.yaml",
    "augment": "baseline configs' params.augment",
    "cv": "reproduce.yaml, task kinds",
    "augmentation": "reproduce.yaml, task kinds",
    "train_sentences": "the models' own training info (the opaque ``training`` block)",
    # annotation/agreement.json (read by evaluation/leaderboard.read_agreement and the card) and the harness's
    # own report (`fazhi eval evaluate --json`, evaluation/metrics.py, harness.py, report.py)
    "micro": "agreement.json, harness report",
    "f1": "agreement.json, harness report",
    "per_label": "agreement.json, harness report",
    "precision": "harness report",
    "recall": "harness report",
    "support": "harness report",
    "macro_f1": "harness report",
    "micro_f1": "harness report, bootstrap metric names",
    "resamples": "agreement.json, harness report",
    "seed": "everywhere a seed is configured",
    "unit": "indicators, bootstrap units",
    "kind": "dataset rows, harness report",
    "sentence_id": "dataset rows",
    "gold": "the gold folder, harness report",
    "predicted": "harness report",
    "context": "harness report, entity links",
    "fold": "dataset rows, harness report",
    "split": "dataset rows, harness report",
    "test": "the split name",
    "labels": "Label Studio, augmentation params",
    "rank": "indicator taxonomy",
    "model": "model metadata",
}


def _record_types(cls: type[Record], seen: set[type]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    for hint in typing.get_type_hints(cls).values():
        stack = [hint]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, Record):
                _record_types(tp, seen)
            stack.extend(typing.get_args(tp))


def _schema_keys() -> set[str]:
    """Every JSON key a record of these files defines (data-dependent keys, in ``dict[str, ...]``, are not)."""
    seen: set[type] = set()
    for cls in FILES.values():
        _record_types(cls, seen)
    return {f.metadata.get("fazhi_key", f.name) for cls in seen for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


def _literals() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "fazhi_ner").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.setdefault(node.value, set()).add(path.relative_to(ROOT / "src").as_posix())
    return out


@pytest.mark.parametrize("name", FILES)
def test_the_committed_files_round_trip_byte_for_byte(name: str) -> None:
    text = (EVAL / name).read_text(encoding="utf-8")
    assert FILES[name].from_json(text, where=name).to_json() == text


def test_each_key_of_the_results_files_is_spelled_in_at_most_one_module() -> None:
    keys = _schema_keys()
    assert {"pooled_micro_f1", "train_seconds_total", "test_fingerprint", "best_member_f1", "human_ceiling"} <= keys
    literals = _literals()
    spelled = {k: sorted(literals.get(k, ())) for k in sorted(keys - set(SHARED))}
    assert {k: v for k, v in spelled.items() if len(v) > 1} == {}


def test_every_shared_key_is_a_key_of_these_files_spelled_by_another_format() -> None:
    literals = _literals()
    assert set(SHARED) <= _schema_keys()
    assert [k for k in SHARED if len(literals.get(k, ())) < 2] == []  # no stale exemption


def _write(tmp_path: Path, data: dict) -> Path:
    (tmp_path / "baselines.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "baselines.json"


def test_unknown_and_missing_keys_name_the_file_and_the_key(tmp_path: Path) -> None:
    data = json.loads((EVAL / "baselines.json").read_text(encoding="utf-8"))
    data["baselines"]["crf"]["cross_validation"]["pooled_micro_f1x"] = 1.0
    path = _write(tmp_path, data)
    with pytest.raises(ResultFormatError, match=rf"{path}.baselines.crf.cross_validation: unexpected key 'pooled_micro_f1x'"):
        load(tmp_path)
    del data["baselines"]["crf"]["cross_validation"]["pooled_micro_f1x"]
    del data["baselines"]["crf"]["test"]["micro"]["f1"]
    _write(tmp_path, data)
    with pytest.raises(ResultFormatError, match=rf"{path}.baselines.crf.test.micro: missing key 'f1'"):
        load(tmp_path)
    from fazhi_ner.baselines.registry import best_model

    with pytest.raises(ResultFormatError, match=str(path)):
        best_model(results_path=path)
    board = json.loads((EVAL / "leaderboard.json").read_text(encoding="utf-8"))
    del board["systems"][0]["rank"]
    (tmp_path / "leaderboard.json").write_text(json.dumps(board), encoding="utf-8")
    with pytest.raises(ResultFormatError, match=r"leaderboard.json.systems\[0\]: missing key 'rank'"):
        read_leaderboard(tmp_path)


def test_keep_earlier_keeps_rows_ablation_and_form_figures_of_models_not_rerun() -> None:
    committed = load(EVAL)
    rerun = dataclasses.replace(
        committed,
        baselines={"crf": committed.baselines["crf"]},
        ablation=None,
        form_robustness=dataclasses.replace(committed.form_robustness, models={"crf": {"x": 0.5}}),
    )
    order = ["rules", "crf"]
    merged = rerun.keep_earlier(committed, order)
    assert list(merged.baselines)[:2] == order and set(merged.baselines) == set(committed.baselines)
    assert merged.baselines["crf"] is rerun.baselines["crf"]
    assert merged.ablation == committed.ablation
    assert merged.form_robustness.models["crf"] == {"x": 0.5}
    assert merged.form_robustness.models["rules"] == committed.form_robustness.models["rules"]
    other_gold = dataclasses.replace(committed, gold=dataclasses.replace(committed.gold, test_sentences=1))
    assert rerun.keep_earlier(other_gold, order) is rerun  # results on other gold are never mixed
    assert isinstance(merged.baselines["rules"], BaselineRow)
