"""Strict seqeval wrapper, count arrays and the vectorised bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from fazhi_ner.evaluation import bootstrap as bs
from fazhi_ner.evaluation.metrics import cross_check, sentence_counts, seqeval_strict_dict, strict_report
from fazhi_ner.labels import LABEL_NAMES, TAGS
from fazhi_ner.stats import prf


def test_gold_against_gold_is_one() -> None:
    y = [["B-AGENCY", "I-AGENCY", "O", "B-INDICATOR"], ["O", "B-INITIATIVE", "I-INITIATIVE"]]
    report = strict_report(y, y)
    assert report.micro_f1 == 1.0 and report.macro_f1 == 1.0
    assert all(report.per_label[name].f1 == 1.0 for name in LABEL_NAMES)


def test_hand_counts() -> None:
    # gold: AGENCY[0,2) INDICATOR[3,5) INITIATIVE[6,7)
    gold = [["B-AGENCY", "I-AGENCY", "O", "B-INDICATOR", "I-INDICATOR", "O", "B-INITIATIVE"]]
    # pred: AGENCY[0,2) correct, INDICATOR[3,4) boundary error, AGENCY[6,7) type error
    pred = [["B-AGENCY", "I-AGENCY", "O", "B-INDICATOR", "O", "O", "B-AGENCY"]]
    r = strict_report(gold, pred)
    assert r.counts == {"tp": 1, "fp": 2, "fn": 2}
    assert r.per_label["AGENCY"].tp == 1 and r.per_label["AGENCY"].fp == 1 and r.per_label["AGENCY"].fn == 0
    assert r.per_label["INDICATOR"].fp == 1 and r.per_label["INDICATOR"].fn == 1
    assert r.per_label["INITIATIVE"].fn == 1 and r.per_label["INITIATIVE"].support == 1
    assert r.micro_precision == pytest.approx(1 / 3) and r.micro_recall == pytest.approx(1 / 3)
    assert r.per_label["AGENCY"].f1 == pytest.approx(2 / 3)
    assert r.macro_f1 == pytest.approx((2 / 3 + 0 + 0) / 3)


def test_scheme_is_never_dropped() -> None:
    """Without scheme=IOB2, seqeval's f1_score falls back to lenient and classification_report
    auto-detects the scheme from the gold (and fails on all-O gold): both cases are pinned here."""
    from seqeval.metrics import f1_score

    gold = [["B-AGENCY", "I-AGENCY", "O"]]
    pred = [["I-AGENCY", "I-AGENCY", "O"]]
    assert f1_score(gold, pred, mode="strict") == 1.0  # the silent lenient fallback
    assert seqeval_strict_dict(gold, pred)["micro avg"]["f1-score"] == 0.0
    assert strict_report(gold, pred).micro_f1 == 0.0
    with pytest.raises(ValueError):
        classification_report([["O", "O"]], [["B-AGENCY", "O"]], mode="strict")  # auto-detect fails
    empty_gold = strict_report([["O", "O"]], [["B-AGENCY", "O"]])
    assert empty_gold.counts == {"tp": 0, "fp": 1, "fn": 0} and empty_gold.micro_f1 == 0.0


tag_seqs = st.lists(st.lists(st.sampled_from(TAGS), min_size=1, max_size=12), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(tag_seqs, st.randoms(use_true_random=False))
def test_equals_plain_seqeval(y_true: list[list[str]], rnd) -> None:  # noqa: ANN001
    y_pred = [[rnd.choice(TAGS) if rnd.random() < 0.5 else t for t in seq] for seq in y_true]
    ours = strict_report(y_true, y_pred)
    ref = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    assert ours.micro_f1 == pytest.approx(float(ref["micro avg"]["f1-score"]))
    assert ours.micro_precision == pytest.approx(float(ref["micro avg"]["precision"]))
    if any(k in ref for k in LABEL_NAMES):
        assert ours.macro_f1 == pytest.approx(float(ref["macro avg"]["f1-score"]))
    for name in LABEL_NAMES:
        if name in ref:
            assert ours.per_label[name].f1 == pytest.approx(float(ref[name]["f1-score"]))
            assert ours.per_label[name].support == int(ref[name]["support"])
    totals = sentence_counts(y_true, y_pred).sum(axis=0)
    assert prf(*totals.sum(axis=0))[2] == ours.micro_f1
    cross_check(y_true, y_pred, ours)  # bit for bit, not approximately


def test_resampled_sums_equal_explicit_resampling() -> None:
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 4, size=(37, 3, 3))
    sums = bs.resampled_sums(counts, 25, seed=11)
    replay = np.random.default_rng(11)
    idx = replay.integers(0, 37, size=(25, 37))  # one chunk: the same draws in the same order
    expected = counts[idx].sum(axis=1)
    assert np.array_equal(sums, expected)


def test_bootstrap_deterministic_and_brackets_point() -> None:
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 3, size=(200, 3, 3))
    a = bs.bootstrap_intervals(counts, 300, seed=5)
    b = bs.bootstrap_intervals(counts, 300, seed=5)
    assert a == b
    point = prf(*counts.sum(axis=(0, 1)))[2]
    assert a["micro_f1"].low <= point <= a["micro_f1"].high
    assert a["micro_f1"].low < a["micro_f1"].high


def test_compare_identical_and_different() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 3, size=(150, 3, 3))
    same = bs.compare_counts(a, a.copy(), resamples=200, permutations=500)
    assert same.delta == 0.0 and same.p_randomization == 1.0
    better = a.copy()
    better[:, :, 0] += better[:, :, 2]  # B finds every missed entity
    better[:, :, 2] = 0
    diff = bs.compare_counts(a, better, resamples=200, permutations=500)
    assert diff.delta > 0 and diff.p_randomization < 0.01 and diff.ci.low > 0
