"""The package's statistics, each defined once: P/R/F1, Cohen's kappa, the bootstrap and how an interval is shown.

Evaluation, annotation agreement, link agreement and evaluation, and the extraction measure all go through
here, so a figure means the same in every file. The rules:

- **F1 of nothing is 0.** Precision, recall and F1 are 0 where their denominator is 0, as seqeval's
  ``zero_division=0`` (our official metric); so two empty sets score 0, never 1.
- **Kappa of two constant, equal raters is 1** (chance agreement 1 leaves nothing to correct).
- **One bootstrap.** A resample is a vector of multiplicities over units drawn by numpy's ``default_rng(seed)``;
  the statistic is recomputed from the resampled *sums* of per-unit count vectors (one matrix product,
  in chunks of bounded memory). The interval is the percentile interval of numpy's default (linear) quantile.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np

CONFIDENCE = 0.95
CHUNK_CELLS = 2_000_000  # weights of one chunk of resamples: about 16 MB however many units there are


@overload
def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]: ...
@overload
def prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def prf(tp, fp, fn):  # noqa: ANN001, ANN201 - overloads above
    """Precision, recall and F1 from counts (scalars or arrays), 0 where a denominator is 0 (seqeval's rule)."""
    if np.ndim(tp) == 0 and np.ndim(fp) == 0 and np.ndim(fn) == 0:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return float(p), float(r), float(2 * p * r / (p + r) if p + r else 0.0)
    tp, fp, fn = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return p, r, f


def f1(tp: float, fp: float, fn: float) -> float:
    """F1 alone (the rule of :func:`prf`)."""
    return prf(tp, fp, fn)[2]


def cohen_kappa(agree: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cohen's kappa from the number of agreeing items and each rater's category counts (last axis).

    Works on stacks (one kappa per resample). Where chance agreement is total (both raters constant and
    equal) kappa is 1; no items gives NaN.
    """
    left, right = np.asarray(left, dtype=np.float64), np.asarray(right, dtype=np.float64)
    n = left.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.asarray(agree, dtype=np.float64) / n
        expected = (left * right).sum(axis=-1) / n**2
        return np.where((1 - expected) > 0, (observed - expected) / (1 - expected), np.where(n > 0, 1.0, np.nan))


def confusion_kappa(confusion: np.ndarray) -> np.ndarray:
    """Cohen's kappa of (..., k, k) confusion matrices (rows: rater A, columns: rater B)."""
    return cohen_kappa(np.trace(confusion, axis1=-2, axis2=-1), confusion.sum(axis=-1), confusion.sum(axis=-2))


def pair_counts(pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, list[str]]:
    """Per-item count vectors of two raters' nominal labels: [agree, one-hot A (k), one-hot B (k)], and the k
    categories; resampling these rows and summing gives accuracy and kappa of the resample."""
    categories = sorted({c for pair in pairs for c in pair})
    index = {c: i for i, c in enumerate(categories)}
    k = len(categories)
    out = np.zeros((len(pairs), 1 + 2 * k))
    for row, (a, b) in enumerate(pairs):
        out[row, 0] = a == b
        out[row, 1 + index[a]] = 1
        out[row, 1 + k + index[b]] = 1
    return out, categories


def pair_scores(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Accuracy and kappa from summed :func:`pair_counts` rows (one row per resample, or one row)."""
    k = (sums.shape[-1] - 1) // 2
    agree, left, right = sums[..., 0], sums[..., 1 : 1 + k], sums[..., 1 + k :]
    n = left.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        accuracy = np.where(n > 0, agree / n, np.nan)
    return accuracy, cohen_kappa(agree, left, right)


def generator(seed: int) -> np.random.Generator:
    """The one random generator of every resampling and randomization test."""
    return np.random.default_rng(seed)


def _weights(rng: np.random.Generator, n: int, resamples: int) -> Iterator[np.ndarray]:
    """(chunk, n) multiplicity matrices of bootstrap resamples (n draws with replacement each)."""
    chunk = max(1, CHUNK_CELLS // max(n, 1))
    done = 0
    while done < resamples:
        k = min(chunk, resamples - done)
        idx = rng.integers(0, n, size=(k, n))
        flat = (idx + (np.arange(k) * n)[:, None]).ravel()
        yield np.bincount(flat, minlength=k * n).reshape(k, n)
        done += k


def resampled_sums(counts: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """(resamples, ...) sums of ``counts`` (units, ...) over bootstrap resamples of the units."""
    n = counts.shape[0]
    flat = counts.reshape(n, -1).astype(np.float64)
    rng = generator(seed)
    parts = [w.astype(np.float64) @ flat for w in _weights(rng, n, resamples)]
    return np.concatenate(parts).reshape(resamples, *counts.shape[1:])


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def as_list(self) -> list[float]:
        return [self.low, self.high]

    def rounded(self, digits: int) -> list[float]:
        """The interval as committed files write it."""
        return [round(self.low, digits), round(self.high, digits)]


def percentile_interval(values: np.ndarray, level: float = CONFIDENCE) -> Interval:
    """The percentile interval of bootstrap values (numpy's linear quantile)."""
    alpha = (1 - level) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha])
    return Interval(float(lo), float(hi))


def format_ci(
    ci: Sequence[float] | None,
    *,
    style: Literal["brackets", "dash"] = "brackets",
    digits: int = 3,
    scale: float = 1.0,
    empty: str = "",
) -> str:
    """An interval for people: ``[0.812, 0.900]`` (brackets) or ``0.812–0.900`` (dash, in table cells)."""
    if not isinstance(ci, (list, tuple)) or len(ci) != 2:
        return empty
    lo, hi = (f"{scale * x:.{digits}f}" if scale != 1.0 else f"{x:.{digits}f}" for x in ci)
    return f"[{lo}, {hi}]" if style == "brackets" else f"{lo}–{hi}"
