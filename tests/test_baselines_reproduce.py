"""`fazhi baselines reproduce` end to end on toy gold: one pool of work, results assembled per baseline."""

from __future__ import annotations

import json

import pytest

from fazhi_ner.baselines import protocol
from fazhi_ner.baselines.reproduce import _learning_curve, _seed_spread, _weight, reproduce
from fazhi_ner.baselines.results import load
from fazhi_ner.seeds import load_documents
from test_baselines_support import write_tiny_gold


@pytest.mark.slow
def test_reproduce_runs_everything_in_one_pool_and_writes_each_baseline(tmp_path):
    gold = write_tiny_gold(tmp_path / "gold", {d.doc_id for d in load_documents()})
    results = reproduce(["rules", "crf-rules"], gold_directory=gold, eval_root=tmp_path / "eval", models=tmp_path / "models", jobs=2)
    assert list(results.baselines) == ["rules", "crf-rules"]
    for name in ("rules", "crf-rules"):
        row = results.baselines[name]
        assert len(row.cross_validation.folds) == 5
        assert row.seed_spread is None  # both are deterministic: one run per fold, no seeds to compare
        files = sorted(p.name for p in (tmp_path / "eval" / "submissions" / name).glob("predictions.fold*.jsonl"))
        assert files == [f"predictions.fold{k}.jsonl" for k in range(5)]
    assert [r.fraction for r in results.baselines["crf-rules"].learning_curve] == [0.25, 0.5, 1.0]
    assert results.ablation is None  # its base (crf-lac) was not run
    assert sorted(p.name for p in (tmp_path / "bench").iterdir()) == ["crf-rules.json", "rules.json"]  # beside the models
    written = json.loads((tmp_path / "eval" / "baselines.json").read_text(encoding="utf-8"))
    assert "seed_spread" not in written["baselines"]["rules"] and "ablation" not in written
    assert load(tmp_path / "eval") == results  # what was written reads back as the same record

def test_seed_tasks_only_for_models_that_are_not_deterministic():
    settings = protocol.load_settings()
    assert protocol.seed_tasks("crf-lac", settings, None) == []
    assert protocol.seed_tasks("rules", settings, None) == []


def test_seed_spread_reports_every_seed_and_the_sample_std():
    from dataclasses import replace

    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.harness import evaluate
    from fazhi_ner.evaluation.summary import summarise_result

    test = load_examples("test")
    gold_as_predicted = {ex.id: list(ex.spans) for ex in test}
    nothing = {ex.id: [] for ex in test}
    tasks = [
        protocol.TaskResult(protocol.Task("bilstm", "seed", seed, seed, (), (), tuple(test)), preds, 0.0)
        for seed, preds in ((1, gold_as_predicted), (2, nothing))
    ]
    main = summarise_result(evaluate(test, nothing, bootstrap=0))
    main = replace(main, micro=replace(main.micro, f1=0.5))
    spread = _seed_spread(0, main, test, tasks)
    assert spread.seeds == [0, 1, 2] and spread.test_micro_f1 == [0.5, 1.0, 0.0]
    assert spread.mean == 0.5 and spread.std == 0.5


def test_every_learning_curve_point_counts_the_train_split_sentences_it_trains_on():
    # the main model's cost record counts its synthetic share too (crf-lac: about 3,400 sentences); the curve must
    # not, or its last step shows a jump in real data that did not happen
    from fazhi_ner.corpus import load_examples

    test = load_examples("test")
    train = tuple(load_examples("train"))
    curve_runs = [
        protocol.TaskResult(protocol.Task("crf-lac", "curve", 0, fraction, train[:size], (), tuple(test)), {}, 0.0)
        for fraction, size in ((0.5, 154), (0.25, 77))
    ]
    points = _learning_curve(curve_runs, test, len(train), 0.7712)
    assert [(p.fraction, p.train_sentences) for p in points] == [(0.25, 77), (0.5, 154), (1.0, len(train))]
    assert points[-1].test_micro_f1 == 0.7712 and points[0].test_micro_f1 == 0.0


def test_longest_work_goes_first():
    seconds = {"spacy": 100.0, "crf": 20.0}
    cv = protocol.Task("spacy", "cv", 0, 0, (), (), ())
    curve = protocol.Task("crf", "curve", 0, 0.25, (), (), ())
    assert _weight(cv, seconds) > _weight(curve, seconds)
