"""Small statistics shared by link agreement and linker evaluation: accuracy, Cohen's kappa, bootstrap CIs."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence

Pairs = Sequence[tuple[str, str]]


def accuracy(pairs: Pairs) -> float:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else float("nan")


def cohen_kappa(pairs: Pairs) -> float:
    """Cohen's kappa of two raters over nominal categories; 1.0 when both are constant and equal."""
    if not pairs:
        return float("nan")
    n = len(pairs)
    observed = accuracy(pairs)
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in left) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def bootstrap_ci(
    pairs: Pairs, statistic: Callable[[Pairs], float], *, resamples: int, seed: int, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval over items (mentions), with a fixed seed so reruns agree."""
    if not pairs or resamples <= 0:
        return (float("nan"), float("nan"))
    rng = random.Random(seed)
    n = len(pairs)
    values = sorted(statistic([pairs[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    low = values[int((1 - level) / 2 * (resamples - 1))]
    high = values[int((1 + level) / 2 * (resamples - 1))]
    return (low, high)


def summary(pairs: Pairs, *, resamples: int, seed: int) -> dict[str, object]:
    """n, accuracy and kappa with 95% bootstrap intervals, rounded for committed files."""
    acc_ci = bootstrap_ci(pairs, accuracy, resamples=resamples, seed=seed)
    kappa_ci = bootstrap_ci(pairs, cohen_kappa, resamples=resamples, seed=seed + 1)
    return {
        "n": len(pairs),
        "agree": sum(a == b for a, b in pairs),
        "accuracy": round(accuracy(pairs), 4),
        "accuracy_ci": [round(v, 4) for v in acc_ci],
        "kappa": round(cohen_kappa(pairs), 4),
        "kappa_ci": [round(v, 4) for v in kappa_ci],
    }
