"""Slow tests: tiny trainings of the CRF and spaCy baselines, save/load round trips, CLI train/predict."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from fazhi_ner.baselines import create, load_model
from fazhi_ner.cli import main
from fazhi_ner.corpus import load_examples
from fazhi_ner.paths import baselines_dir
from fazhi_ner.splits import SPLITS
from test_baselines_support import write_tiny_gold

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gold(tmp_path_factory) -> Path:
    # one report per split only: small, but every split exists
    one_per_split = {split: doc for doc, split in sorted(SPLITS.items())}
    return write_tiny_gold(tmp_path_factory.mktemp("gold"), set(one_per_split.values()))


def _tiny(name: str, params: dict, seed: int = 0):
    model = create(name, seed)
    model.config = dataclasses.replace(model.config, params={**model.config.params, **params})
    return model


def _texts(gold: Path) -> list[str]:
    return [e.text for e in load_examples("test", gold_directory=gold)]


def test_crf_trains_and_round_trips(gold, tmp_path):
    train = load_examples("train", gold_directory=gold)[:20]
    dev = load_examples("validation", gold_directory=gold)[:10]
    model = _tiny("crf", {"max_iterations": 10, "grid": {"c1": [0.1, 0.5], "c2": [0.01]}})
    model.fit(train, dev)
    assert model.info["c1"] in (0.1, 0.5) and len(model.info["grid"]) == 2
    before = model.predict(_texts(gold))
    loaded = load_model(model.save(tmp_path / "crf"))
    assert loaded.info == model.info
    assert loaded.predict(_texts(gold)) == before


def test_spacy_trains_with_spacy_train_and_round_trips(gold, tmp_path):
    config = (baselines_dir() / "spacy" / "config.cfg").read_text(encoding="utf-8")
    tiny = tmp_path / "tiny.cfg"
    tiny.write_text(
        config.replace("max_steps = 400", "max_steps = 4").replace("eval_frequency = 50", "eval_frequency = 2"),
        encoding="utf-8",
    )
    assert tiny.read_text(encoding="utf-8") != config
    train = load_examples("train", gold_directory=gold)[:12]
    dev = load_examples("validation", gold_directory=gold)[:6]
    model = _tiny("spacy", {"config": str(tiny)}, seed=1)
    model.fit(train, dev)
    assert "dev_ents_f" in model.info
    before = model.predict(_texts(gold))
    again = _tiny("spacy", {"config": str(tiny)}, seed=1)
    again.fit(train, dev)
    assert again.predict(_texts(gold)) == before  # same seed on the same machine: the same model
    loaded = load_model(model.save(tmp_path / "spacy"))
    assert loaded.seed == 1
    assert loaded.predict(_texts(gold)) == before


def test_bilstm_trains_deterministically_and_round_trips(gold, tmp_path):
    train = load_examples("train", gold_directory=gold)[:24]
    dev = load_examples("validation", gold_directory=gold)[:8]
    tiny = {"max_epochs": 2, "hidden": 16, "char_dim": 8}
    first, second = _tiny("bilstm", tiny, seed=3), _tiny("bilstm", tiny, seed=3)
    first.fit(train, dev)
    second.fit(train, dev)
    assert first.info == second.info and first.info["epochs_run"] <= 2
    before = first.predict(_texts(gold))
    assert second.predict(_texts(gold)) == before  # same seed, same model
    loaded = load_model(first.save(tmp_path / "bilstm"))
    assert loaded.seed == 3 and loaded.predict(_texts(gold)) == before


def test_crf_v2_features_include_lac_and_rules(gold):
    from fazhi_ner.baselines.crf_features import batch_features

    text = "县司法局开展学法21次"
    plain, stacked = (batch_features([text], families=f)[0] for f in (("chars",), ("chars", "lac", "rules")))
    assert "lac.ner" not in plain[0] and "r0" not in plain[0]
    assert stacked[0]["lac.ner"] == "B-ORG" and stacked[0]["r0"] == "B-AGENCY"


def test_cli_train_then_predict_writes_leaderboard_files(gold, tmp_path):
    from fazhi_ner.evaluation.submission import load_submission

    models, out = tmp_path / "models", tmp_path / "submissions"
    common = ["--gold", str(gold), "--models-dir", str(models)]
    assert main(["baselines", "train", "crf", *common]) == 0
    assert (models / "crf" / "meta.json").is_file() and (models / "crf" / "model.crfsuite").is_file()
    assert main(["baselines", "predict", "crf", "--split", "test", *common, "--out", str(out)]) == 0
    sub = load_submission(out / "crf")
    assert sub.type == "feature-based"
    rows = [json.loads(line) for line in sub.test_file.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(_texts(gold))
    assert all(s["end"] > s["start"] for r in rows for s in r["spans"])
