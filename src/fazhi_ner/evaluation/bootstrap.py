"""Bootstrap intervals and significance tests of NER scores, on per-unit (units, labels, 3) count arrays.

Scores are recomputed from resampled sums of (tp, fp, fn) per label, never by re-running seqeval; the
resampling, the F1 rule and the percentile interval are :mod:`fazhi_ner.stats`'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.stats import (
    CHUNK_CELLS,
    Interval,
    generator,
    percentile_interval,
    prf,
    resampled_sums,
)


def score_matrix(sums: np.ndarray) -> dict[str, np.ndarray]:
    """From (resamples, labels, 3) sums: micro P/R/F1, macro F1 and per-label F1 per resample."""
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    mp, mr, mf = prf(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    _, _, lf = prf(tp, fp, fn)
    present = (tp + fp + fn) > 0
    n_present = present.sum(axis=1)
    macro = np.where(n_present > 0, (lf * present).sum(axis=1) / np.maximum(n_present, 1), 0.0)
    out = {"micro_precision": mp, "micro_recall": mr, "micro_f1": mf, "macro_f1": macro}
    for i, name in enumerate(LABEL_NAMES):
        out[f"f1_{name}"] = lf[:, i]
    return out


def bootstrap_intervals(counts: np.ndarray, resamples: int = 1000, seed: int = 0) -> dict[str, Interval]:
    """95% percentile intervals of micro P/R/F1, macro F1 and per-label F1, resampling the units."""
    if counts.shape[0] == 0 or resamples <= 0:
        return {}
    scores = score_matrix(resampled_sums(counts, resamples, seed))
    return {name: percentile_interval(values) for name, values in scores.items()}


@dataclass(frozen=True)
class Comparison:
    """Micro-F1 difference B - A with a paired-bootstrap interval and two p-values."""

    f1_a: float
    f1_b: float
    delta: float
    ci: Interval
    p_bootstrap: float
    p_randomization: float
    resamples: int
    permutations: int
    units: int

    def as_dict(self) -> dict[str, object]:
        return {
            "micro_f1_a": self.f1_a,
            "micro_f1_b": self.f1_b,
            "delta": self.delta,
            "delta_ci": self.ci.as_list(),
            "p_paired_bootstrap": self.p_bootstrap,
            "p_approximate_randomization": self.p_randomization,
            "resamples": self.resamples,
            "permutations": self.permutations,
            "units": self.units,
        }


def _micro(sums: np.ndarray) -> np.ndarray:
    """Micro F1 from (..., labels, 3) sums."""
    return prf(sums[..., 0].sum(axis=-1), sums[..., 1].sum(axis=-1), sums[..., 2].sum(axis=-1))[2]


def compare_counts(
    a: np.ndarray, b: np.ndarray, *, resamples: int = 1000, permutations: int = 10000, seed: int = 0
) -> Comparison:
    """Paired bootstrap and approximate randomization on unit-aligned (units, labels, 3) counts of two systems.

    Bootstrap p-value: two-sided, from the shifted distribution (Berg-Kirkpatrick et al. 2012:
    how often a resampled delta exceeds twice the observed one). Randomization p-value: swap the
    two systems' counts per unit with probability 1/2; (hits + 1) / (permutations + 1).
    """
    n = a.shape[0]
    f1_a, f1_b = float(_micro(a.sum(axis=0))), float(_micro(b.sum(axis=0)))
    delta = f1_b - f1_a
    both = np.concatenate([a, b], axis=1)  # same resample for both systems
    sums = resampled_sums(both, resamples, seed)
    half = a.shape[1]
    deltas = _micro(sums[:, half:]) - _micro(sums[:, :half])
    p_boot = float(np.mean(np.abs(deltas - delta) >= abs(delta))) if resamples else 1.0
    rng = generator(seed + 1)
    diff = (b - a).reshape(n, -1).astype(np.float64)
    base_a = a.reshape(n, -1).sum(axis=0).astype(np.float64)
    base_b = b.reshape(n, -1).sum(axis=0).astype(np.float64)
    hits = 0
    chunk = max(1, CHUNK_CELLS // max(n, 1))
    done = 0
    shape = a.shape[1:]
    while done < permutations:
        k = min(chunk, permutations - done)
        swap = rng.integers(0, 2, size=(k, n)).astype(np.float64)
        moved = swap @ diff  # what system A gains (and B loses) by swapping those units
        perm_a = (base_a + moved).reshape(k, *shape)
        perm_b = (base_b - moved).reshape(k, *shape)
        hits += int(np.sum(np.abs(_micro(perm_b) - _micro(perm_a)) >= abs(delta) - 1e-12))
        done += k
    p_ar = (hits + 1) / (permutations + 1) if permutations else 1.0
    interval = percentile_interval(deltas) if resamples else Interval(delta, delta)
    return Comparison(f1_a, f1_b, delta, interval, p_boot, p_ar, resamples, permutations, n)
