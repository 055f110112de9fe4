"""benchmarks/lodo.py --save writes fold files that `fazhi baselines vote --eval-dir` reads as they are."""

from __future__ import annotations

import lodo  # benchmarks/lodo.py, on pytest's pythonpath

from fazhi_ner.baselines import protocol
from fazhi_ner.baselines.ensemble import Vote, vote_cv
from fazhi_ner.baselines.results import lodo_f1
from fazhi_ner.corpus import load_examples
from fazhi_ner.splits import FOLD_ORDER


def _gold_runs(name: str, seed: int) -> list[protocol.TaskResult]:
    runs = []
    for fold in range(len(FOLD_ORDER)):
        _, _, heldout = protocol.fold_sets(fold)
        task = protocol.Task(name, "cv", seed, fold, (), (), tuple(heldout))
        runs.append(protocol.TaskResult(task, {ex.id: list(ex.spans) for ex in heldout}, 0.0))
    return runs


def _test_run(name: str) -> protocol.TaskResult:
    test = tuple(load_examples("test"))
    return protocol.TaskResult(
        protocol.Task(name, "main", 0, 0, (), (), test), {ex.id: list(ex.spans) for ex in test}, 0.0
    )


def test_saved_fold_files_are_a_vote_member(tmp_path):
    lodo._save("lac-tune", _test_run("lac-tune"), _gold_runs("lac-tune", 0), tmp_path)
    lodo._save("crf-lac", _test_run("crf-lac"), _gold_runs("crf-lac", 0), tmp_path)
    files = sorted(p.name for p in (tmp_path / "submissions" / "lac-tune").iterdir())
    assert files == [f"predictions.fold{k}.jsonl" for k in range(len(FOLD_ORDER))] + [
        "predictions.jsonl",
        "submission.yaml",
    ]
    _, cv = vote_cv(Vote("v", ("lac-tune", "crf-lac"), 2), tmp_path / "submissions")
    assert lodo_f1(cv) == 1.0


def test_several_seeds_get_one_file_per_seed(tmp_path):
    lodo._save("lac-tune", _test_run("lac-tune"), _gold_runs("lac-tune", 0) + _gold_runs("lac-tune", 1), tmp_path)
    names = {p.name for p in (tmp_path / "submissions" / "lac-tune").glob("predictions.fold0*")}
    assert names == {"predictions.fold0.seed0.jsonl", "predictions.fold0.seed1.jsonl"}


def test_a_rerun_with_other_seeds_leaves_no_files_of_the_earlier_run(tmp_path):
    lodo._save("lac-tune", _test_run("lac-tune"), _gold_runs("lac-tune", 0) + _gold_runs("lac-tune", 1), tmp_path)
    lodo._save("lac-tune", _test_run("lac-tune"), _gold_runs("lac-tune", 0), tmp_path)
    names = sorted(p.name for p in (tmp_path / "submissions" / "lac-tune").glob("predictions.fold*"))
    assert names == [f"predictions.fold{k}.jsonl" for k in range(len(FOLD_ORDER))]
