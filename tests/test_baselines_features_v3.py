"""The features behind CRF v3 and the BiLSTM: clause structure, LAC words, LAC encoder vectors, train_on_dev."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.baselines import create
from fazhi_ner.baselines.crf_features import CLAUSE_KEYS, _lac_words, batch_features, clause_features
from fazhi_ner.errors import BaselineError

TEXT = "县司法局开展会前学法21次,合格率99.3%、其中3件"


def test_clause_features_see_the_number_and_unit_ahead():
    feats = clause_features(TEXT)
    assert len(feats) == len(TEXT)
    assert feats[0]["cl.from_start"] == "0" and feats[0]["cl.opener"] == "BOS"
    assert feats[0]["cl.unit_ahead"] == "次"  # the clause's first number is followed by 次
    assert feats[0]["cl.num_ahead"] == "8+" and feats[0]["cl.num_behind"] == "none"
    comma = TEXT.index(",")
    assert feats[comma]["cl.break"] == "," and feats[comma + 1]["cl.opener"] == ","
    assert feats[comma + 1]["cl.unit_ahead"] == "%"
    item = TEXT.index("、")
    assert feats[item + 1]["it.opener"] == "、" and feats[item + 1]["cl.opener"] == ","  # 、 ends an item, not a clause


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="县局开展学法次件个%、,。;12三 “”《》", max_size=40))
def test_clause_features_one_dict_per_character_with_known_keys(text):
    feats = clause_features(text)
    assert len(feats) == len(text)
    assert all(set(f) <= set(CLAUSE_KEYS) for f in feats)
    assert all(isinstance(v, str) for f in feats for v in f.values())


def test_lac_words_cover_each_character_with_its_word():
    bmes = [("B", "n", "O"), ("E", "n", "O"), ("S", "v", "O"), ("B", "ORG", "B-ORG"), ("M", "ORG", "I-ORG"), ("E", "ORG", "I-ORG")]
    words = _lac_words(bmes)
    assert [w for w, _, _ in words] == [(0, 2), (0, 2), (2, 3), (3, 6), (3, 6), (3, 6)]
    assert words[0][1] is None and words[2] == ((2, 3), (0, 2), (3, 6)) and words[5][2] is None


def test_the_clause_family_adds_clause_and_lac_word_features():
    with_clause = batch_features([TEXT], families=("chars", "lac", "clause"))[0]
    without = batch_features([TEXT], families=("chars", "lac"))[0]
    assert "cl.from_start" in with_clause[0] and "cl.from_start" not in without[0]
    assert with_clause[0]["lac.word"] == TEXT[: len(with_clause[0]["lac.word"])] and "lac.word" not in without[0]


def test_lac_encoder_gives_one_vector_per_character():
    from fazhi_ner.baselines.lac_encoder import encode, width

    first, empty = encode([TEXT, ""])
    assert first.shape == (len(TEXT), width()) and empty.shape == (0, width())
    again = encode([TEXT + "。"])[0]  # a different text: computed afresh, and contextual
    assert again.shape[0] == len(TEXT) + 1
    assert (first[0] != again[0]).any() or (first[-1] != again[-2]).any()
    with pytest.raises(BaselineError, match="layers expected"):
        encode([TEXT], ("nope",))


def test_train_on_dev_needs_a_single_grid_point():
    model = create("crf-lac")
    model.config = dataclasses.replace(
        model.config, params={**model.config.params, "grid": {"c1": [0.1, 0.2], "c2": [0.05]}, "train_on_dev": True}
    )
    with pytest.raises(BaselineError, match="one-point grid"):
        model.fit([object()], [])  # type: ignore[list-item]
