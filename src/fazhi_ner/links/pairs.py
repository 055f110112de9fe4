"""Two raters' link labels for the same mentions (pass 1 vs pass 2, gold vs linker): accuracy and Cohen's kappa
with bootstrap intervals over mentions. The formulas and the bootstrap are :mod:`fazhi_ner.stats`'."""

from __future__ import annotations

from collections.abc import Sequence

from fazhi_ner.links.results import PairSummary
from fazhi_ner.stats import Interval, pair_counts, pair_scores, percentile_interval, resampled_sums

Pairs = Sequence[tuple[str, str]]
DIGITS = 4  # committed files


def accuracy(pairs: Pairs) -> float:
    """Share of mentions both raters labelled alike (NaN for none)."""
    return float(pair_scores(pair_counts(pairs)[0].sum(axis=0))[0])


def cohen_kappa(pairs: Pairs) -> float:
    """Cohen's kappa over nominal categories (NaN for no mentions)."""
    return float(pair_scores(pair_counts(pairs)[0].sum(axis=0))[1])


def summary(pairs: Pairs, *, resamples: int, seed: int) -> PairSummary:
    """n, accuracy and kappa with 95% bootstrap intervals (one resample of mentions for both), rounded."""
    units, _ = pair_counts(pairs)
    acc, kappa = (float(x) for x in pair_scores(units.sum(axis=0)))
    if pairs and resamples > 0:
        boot_acc, boot_kappa = pair_scores(resampled_sums(units, resamples, seed))
        acc_ci, kappa_ci = percentile_interval(boot_acc), percentile_interval(boot_kappa)
    else:
        acc_ci = kappa_ci = Interval(float("nan"), float("nan"))
    acc_low, acc_high = acc_ci.rounded(DIGITS)
    kappa_low, kappa_high = kappa_ci.rounded(DIGITS)
    return PairSummary(
        n=len(pairs),
        agree=sum(a == b for a, b in pairs),
        accuracy=round(acc, DIGITS),
        accuracy_ci=(acc_low, acc_high),
        kappa=round(kappa, DIGITS),
        kappa_ci=(kappa_low, kappa_high),
    )
