"""One statistics module (issue 23): one F1 empty-case rule, one bootstrap, one kappa, one interval display."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from fazhi_ner.annotation.agreement import compare_sentence, summarise
from fazhi_ner.baselines.form_robustness import multiset_f1
from fazhi_ner.evaluation.bootstrap import bootstrap_intervals
from fazhi_ner.evaluation.partial import MatchCounts
from fazhi_ner.links.pairs import summary
from fazhi_ner.spans import Span
from fazhi_ner.stats import (
    confusion_kappa,
    format_ci,
    pair_counts,
    pair_scores,
    percentile_interval,
    prf,
    resampled_sums,
)

TEXT = "县政府常务会议开展会前学法21次"


def test_f1_of_two_empty_sets_is_zero_everywhere() -> None:
    """seqeval's zero_division=0: agreement and the form measure used to say 1.0 for nothing against nothing."""
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert MatchCounts().scores("partial") == (0.0, 0.0, 0.0)
    assert multiset_f1([], []) == 0.0
    a = [Span(0, 7, "AGENCY", "县政府常务会议")]
    counts, problems = compare_sentence("s", "d", TEXT, a, a)
    figures = summarise([counts], problems, resamples=20)
    assert figures.strict.per_label["AGENCY"].f1 == 1.0
    assert figures.strict.per_label["INDICATOR"].to_data() == {"f1": 0.0, "ci": [0.0, 0.0], "a": 0, "b": 0, "exact": 0}


def test_prf_scalar_and_array_agree_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    tp, fp, fn = (rng.integers(0, 20, size=500) for _ in range(3))
    p, r, f = prf(tp, fp, fn)
    for i in range(500):
        assert prf(int(tp[i]), int(fp[i]), int(fn[i])) == (p[i], r[i], f[i])


def test_kappa_matches_sklearn_for_confusions_and_pairs() -> None:
    rng = random.Random(7)
    for _ in range(20):
        a = [rng.choice("xyz") for _ in range(40)]
        b = [x if rng.random() < 0.6 else rng.choice("xyz") for x in a]
        confusion = np.zeros((3, 3))
        for x, y in zip(a, b, strict=True):
            confusion["xyz".index(x), "xyz".index(y)] += 1
        expected = cohen_kappa_score(a, b)
        assert float(confusion_kappa(confusion)) == pytest.approx(expected, abs=1e-12)
        units, _ = pair_counts(list(zip(a, b, strict=True)))
        assert float(pair_scores(units.sum(axis=0))[1]) == pytest.approx(expected, abs=1e-12)
    assert float(confusion_kappa(np.array([[5.0, 0.0], [0.0, 0.0]]))) == 1.0  # both raters constant and equal


def test_every_bootstrap_is_the_same_resampling() -> None:
    """Links used random.Random and a floor-index percentile; now its interval is the shared one."""
    pairs = [("a", "a")] * 30 + [("a", "b")] * 10 + [("b", "b")] * 20
    units, _ = pair_counts(pairs)
    accuracy, kappa = pair_scores(resampled_sums(units, 300, 11))
    figures = summary(pairs, resamples=300, seed=11)
    assert list(figures.accuracy_ci) == percentile_interval(accuracy).rounded(4)
    assert list(figures.kappa_ci) == percentile_interval(kappa).rounded(4)
    # the NER bootstrap draws the same resamples from the same seed
    counts = np.zeros((len(pairs), 3, 3))
    counts[:, 0, 0] = units[:, 0]
    counts[:, 0, 1] = 1 - units[:, 0]
    micro = bootstrap_intervals(counts, 300, 11)["micro_precision"]
    assert micro.as_list() == percentile_interval(accuracy).as_list()


def test_resampling_in_chunks_equals_one_draw() -> None:
    counts = np.arange(12.0).reshape(6, 2)
    whole = resampled_sums(counts, 50, 5)
    idx = np.random.default_rng(5).integers(0, 6, size=(50, 6))
    assert np.array_equal(whole, counts[idx].sum(axis=1))


def test_format_ci() -> None:
    assert format_ci([0.81234, 0.9]) == "[0.812, 0.900]"
    assert format_ci((0.81234, 0.9), style="dash") == "0.812–0.900"
    assert format_ci([0.81234, 0.9], digits=1, scale=100) == "[81.2, 90.0]"
    assert format_ci(None, empty="-") == "-"
    assert format_ci("junk") == ""
