"""Fast tests of the baseline interface, registry, files and protocol helpers (no training)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from fazhi_ner.baselines import BASELINE_NAMES, create, load_config
from fazhi_ner.baselines.base import BaselineConfig
from fazhi_ner.baselines.protocol import dev_doc_for_fold, fold_sets, load_settings, subset
from fazhi_ner.baselines.scoring import score
from fazhi_ner.baselines.submission import predictions_jsonl, submission_yaml, write_predictions
from fazhi_ner.cli import main
from fazhi_ner.corpus import Example, load_examples
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.sentences import Sentence
from fazhi_ner.spans import Span
from fazhi_ner.splits import FOLD_ORDER
from test_baselines_support import write_tiny_gold


@pytest.fixture(scope="module")
def gold(tmp_path_factory) -> Path:
    return write_tiny_gold(tmp_path_factory.mktemp("gold"))


def _example(text: str, spans: list[Span], sid: str = "doc-0000") -> Example:
    return Example(Sentence(sid, "doc", 0, 0, len(text), text), tuple(spans))


def test_registry_lists_the_baselines_and_rejects_unknown_names():
    assert {"rules", "crf", "spacy", "transformers"} <= set(BASELINE_NAMES)
    with pytest.raises(BaselineError, match="unknown baseline 'nope'"):
        create("nope")


@pytest.mark.parametrize("name", list(BASELINE_NAMES))
def test_every_config_loads_with_leaderboard_metadata(name):
    config = load_config(name)
    assert config.name == name
    assert config.type in ("rules", "feature-based", "neural")
    assert config.link.startswith("https://")
    assert len(config.date) == 10 and config.date[4] == "-"


def test_config_errors_name_the_problem():
    good = load_config("crf").as_dict()
    with pytest.raises(BaselineError, match="link expected an http"):
        BaselineConfig.from_dict({**good, "link": "baselines/crf.yaml"}, "x.yaml")
    with pytest.raises(BaselineError, match="type expected one of"):
        BaselineConfig.from_dict({**good, "type": "magic"}, "x.yaml")


def test_submission_yaml_is_accepted_by_the_leaderboard(tmp_path):
    from fazhi_ner.evaluation.submission import load_submission

    config = load_config("crf")
    write_predictions(config, {"xianju-2023-0001": [Span(0, 2, "AGENCY")]}, root=tmp_path)
    sub = load_submission(tmp_path / "crf")
    assert sub.system == config.system and sub.type == "feature-based" and sub.date == config.date
    assert yaml.safe_load(submission_yaml(config))["date"] == "2026-11-23"


spans_strategy = st.lists(
    st.tuples(st.integers(0, 50), st.integers(1, 5), st.sampled_from(LABEL_NAMES)), max_size=5
).map(lambda xs: sorted({Span(a, a + n, lab) for a, n, lab in xs}))


@given(st.dictionaries(st.from_regex(r"[a-z]{3}-[0-9]{4}", fullmatch=True), spans_strategy, max_size=6))
def test_predictions_jsonl_round_trips_and_is_sorted(predictions):
    text = predictions_jsonl(predictions)
    rows = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in rows] == sorted(predictions)
    for row in rows:
        back = sorted(Span(s["start"], s["end"], s["label"]) for s in row["spans"])
        assert back == sorted(predictions[row["id"]])
        assert all(set(s) == {"start", "end", "label"} for s in row["spans"])


def test_rules_baseline_predicts_spans_that_cover_their_text():
    model = create("rules")
    text = "县司法局开展会前学法21次，合格率99.3%。"
    (spans,) = model.predict([text])
    assert spans, "the rules find at least one entity here"
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert model.trainable is False


def test_transformers_fails_clearly_without_a_checkpoint():
    model = create("transformers")
    with pytest.raises(BaselineError, match="checkpoint"):
        model.fit([], [])
    missing = dataclasses.replace(model.config, params={"checkpoint": "/no/such/model"})
    with pytest.raises(BaselineError, match="/no/such/model"):
        type(model)(missing).fit([], [])


def test_subsets_are_deterministic_and_nested(gold):
    train = load_examples("train", gold_directory=gold)
    quarter, half = subset(train, 0.25, 13), subset(train, 0.5, 13)
    assert quarter == subset(train, 0.25, 13)
    assert {e.id for e in quarter} < {e.id for e in half}
    assert len(subset(train, 1.0, 13)) == len(train)


def test_fold_sets_keep_documents_apart(gold):
    for fold in range(len(FOLD_ORDER)):
        train, dev, heldout = fold_sets(fold, gold)
        docs = [{e.sentence.doc_id for e in part} for part in (train, dev, heldout)]
        assert docs[1] == {dev_doc_for_fold(fold)} and docs[2] == {FOLD_ORDER[fold]}
        assert not (docs[0] & docs[1]) and not (docs[0] & docs[2]) and not (docs[1] & docs[2])
        assert len(docs[0]) == 3


def test_settings_load():
    settings = load_settings()
    assert settings.seeds == (0, 1, 2) and 1.0 in settings.fractions
    assert set(settings.baselines) <= set(BASELINE_NAMES)


def test_score_is_strict_and_errors_are_categorised():
    text = "县司法局开展学法21次"
    gold = [_example(text, [Span(0, 4, "AGENCY"), Span(4, 11, "INDICATOR")])]
    exact = score(gold, {"doc-0000": [Span(0, 4, "AGENCY"), Span(4, 11, "INDICATOR")]})
    assert exact["micro"]["f1"] == 1.0
    shifted = {"doc-0000": [Span(1, 4, "AGENCY"), Span(4, 11, "AGENCY")]}
    assert score(gold, shifted)["micro"]["f1"] == 0.0
    # errors come from the evaluation harness (the one error analysis): a boundary error and a type error
    counts = score(gold, shifted)["error_counts"]
    assert counts["boundary"] == 1 and counts["type"] == 1
    assert score(gold, {})["error_counts"]["missed"] == 2


def test_cli_predict_rules_writes_a_valid_submission(gold, tmp_path):
    out, models = tmp_path / "submissions", tmp_path / "models"
    args = ["--gold", str(gold), "--models-dir", str(models), "--out", str(out)]
    assert main(["baselines", "predict", "rules", "--split", "test", *args]) == 0
    rows = [json.loads(line) for line in (out / "rules" / "predictions.jsonl").read_text().splitlines()]
    test_ids = [e.id for e in load_examples("test", gold_directory=gold)]
    assert [r["id"] for r in rows] == sorted(test_ids)
    assert main(["baselines", "predict", "crf", *args]) == 2  # no trained model: a one-line error, exit 2


def test_cli_rejects_a_bad_fold(gold, tmp_path):
    assert main(["baselines", "train", "crf", "--fold", "7", "--gold", str(gold), "--models-dir", str(tmp_path)]) == 2


def test_reproduce_without_gold_fails_before_training(tmp_path, capsys):
    empty = tmp_path / "gold"
    empty.mkdir()
    assert main(["baselines", "reproduce", "--gold", str(empty), "--eval-dir", str(tmp_path / "eval")]) == 2
    assert "no gold sentences for the test split" in capsys.readouterr().err
    assert not (tmp_path / "eval").exists()
