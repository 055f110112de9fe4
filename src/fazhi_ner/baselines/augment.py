"""Training-set augmentation for the learned baselines: entity swaps within a label and numeral swaps.

Why: the five reports hold a few hundred spans, so a model sees each agency or initiative name once or
twice. New sentences that put other training names of the same label into a known context (entity swap),
or other numbers into a known INDICATOR (numeral swap), ask the model to rely on the context rather than on
the exact characters. Whether that helps is measured (eval/BASELINES.md, "Augmentation and ensembles").

Pure and seeded: the same training sentences and config give the same extra sentences. Only training
sentences may be passed in; development and held-out sentences are never augmented, and the swap pool is
built from the sentences passed in, so nothing leaks from outside the training documents.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span

NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
SWAP_PROBABILITY = 0.5  # each span of a sentence is swapped with this probability (at least one is)


@dataclass(frozen=True)
class AugmentConfig:
    """Copies per training sentence of each kind (0 = off) and the seed of every random choice."""

    entity_swap: int = 0
    numeral_swap: int = 0
    seed: int = 0
    labels: tuple[str, ...] = LABEL_NAMES  # labels whose spans the entity swap may replace

    @property
    def enabled(self) -> bool:
        return self.entity_swap > 0 or self.numeral_swap > 0


def parse_config(raw: Any, where: str = "params.augment") -> AugmentConfig:
    """Read ``{entity_swap: n, numeral_swap: n, seed: s, labels: [...]}`` (missing counts are 0, all labels)."""
    if raw is None or raw is False:
        return AugmentConfig()
    if not isinstance(raw, Mapping):
        raise BaselineError(f"{where}: expected a mapping with entity_swap, numeral_swap, seed; found {raw!r}")
    unknown = sorted(set(raw) - {"entity_swap", "numeral_swap", "seed", "labels"})
    if unknown:
        raise BaselineError(
            f"{where}: expected keys entity_swap, numeral_swap, seed, labels; found {', '.join(unknown)}"
        )
    labels = raw.get("labels", list(LABEL_NAMES))
    if not isinstance(labels, (list, tuple)) or not labels or any(label not in LABEL_NAMES for label in labels):
        raise BaselineError(f"{where}.labels: expected a list of {', '.join(LABEL_NAMES)}, found {labels!r}")
    values: dict[str, Any] = {"labels": tuple(label for label in LABEL_NAMES if label in labels)}
    for key in ("entity_swap", "numeral_swap", "seed"):
        value = raw.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BaselineError(f"{where}.{key}: expected a non-negative integer, found {value!r}")
        values[key] = value
    return AugmentConfig(**values)


def rewrite(example: Example, replacements: Mapping[int, str], suffix: str) -> Example:
    """The example with span ``i``'s text replaced by ``replacements[i]``; later offsets shift accordingly.

    The result keeps every label and the span order, so its IOB2 tags are valid by construction.
    """
    text = example.text
    pieces: list[str] = []
    spans: list[Span] = []
    cursor = 0
    for i, span in enumerate(example.spans):
        pieces.append(text[cursor : span.start])
        start = sum(len(p) for p in pieces)
        new = replacements.get(i, text[span.start : span.end])
        if not new:
            raise BaselineError(f"{example.id}: replacement of span {i} is empty")
        pieces.append(new)
        spans.append(Span(start, start + len(new), span.label, new))
        cursor = span.end
    pieces.append(text[cursor:])
    new_text = "".join(pieces)
    s = example.sentence
    sentence = replace(s, id=f"{s.id}~{suffix}", text=new_text, end=s.start + len(new_text))
    return Example(sentence, tuple(spans))


def span_pool(train: Sequence[Example]) -> dict[str, list[str]]:
    """Distinct span texts per label, sorted (so the pool does not depend on the sentence order)."""
    pool: dict[str, set[str]] = {}
    for ex in train:
        for span in ex.spans:
            pool.setdefault(span.label, set()).add(ex.text[span.start : span.end])
    return {label: sorted(texts) for label, texts in sorted(pool.items())}


def _chosen(n: int, rng: random.Random) -> list[int]:
    """Indices of the spans to change: each with SWAP_PROBABILITY, at least one."""
    chosen = [i for i in range(n) if rng.random() < SWAP_PROBABILITY]
    return chosen or [rng.randrange(n)]


def entity_swap(example: Example, pool: Mapping[str, Sequence[str]], rng: random.Random, suffix: str) -> Example | None:
    """Replace some spans by other spans of the same label from ``pool``; None if nothing can change.

    Labels missing from ``pool`` are never swapped.
    """
    candidates = [
        i for i, s in enumerate(example.spans) if any(t != example.text[s.start : s.end] for t in pool.get(s.label, ()))
    ]
    if not candidates:
        return None
    replacements = {}
    for k in _chosen(len(candidates), rng):
        span = example.spans[candidates[k]]
        own = example.text[span.start : span.end]
        options = [t for t in pool[span.label] if t != own]
        replacements[candidates[k]] = rng.choice(options)
    return rewrite(example, replacements, suffix)


def similar_number(number: str, rng: random.Random, *, percent: bool = False) -> str:
    """Another number of the same form: as many digits (give or take one), the same decimals, no leading zero.

    A percentage of at most 100 stays at most 100. Tries a few draws for a number that differs; a one-digit
    number may rarely come back unchanged.
    """
    whole, _, decimals = number.partition(".")
    out = number
    for _ in range(8):
        if percent and float(number) <= 100:
            whole_out = str(rng.randrange(1, 100 if decimals else 101))
        else:
            digits = max(1, len(whole) + rng.choice((-1, 0, 0, 1)))
            whole_out = str(rng.randrange(10 ** (digits - 1) if digits > 1 else 1, 10**digits))
        out = whole_out + ("." + "".join(str(rng.randrange(10)) for _ in decimals) if decimals else "")
        if out != number:
            break
    return out


def numeral_swap(example: Example, rng: random.Random, suffix: str) -> Example | None:
    """Replace the Arabic numbers inside INDICATOR spans by numbers of similar form; None if there are none."""
    candidates = [
        i for i, s in enumerate(example.spans) if s.label == "INDICATOR" and NUMBER.search(example.text, s.start, s.end)
    ]
    if not candidates:
        return None
    replacements = {}
    for k in _chosen(len(candidates), rng):
        span = example.spans[candidates[k]]
        text = example.text[span.start : span.end]

        def swap(m: re.Match[str], text: str = text) -> str:
            percent = text[m.end() : m.end() + 1] in ("%", "％")
            return similar_number(m.group(), rng, percent=percent)

        replacements[candidates[k]] = NUMBER.sub(swap, text)
    return rewrite(example, replacements, suffix)


def augment(train: Sequence[Example], config: AugmentConfig) -> list[Example]:
    """The extra training sentences (the originals are not included), in the order of ``train``.

    Each sentence with spans gets ``entity_swap`` entity-swapped copies and ``numeral_swap`` numeral-swapped
    copies; every copy has its own random stream, seeded by the config seed, the sentence id and the copy, so
    adding or removing one sentence does not change the copies of the others.
    """
    if not config.enabled:
        return []
    pool = {label: texts for label, texts in span_pool(train).items() if label in config.labels}
    out: list[Example] = []
    for ex in train:
        if not ex.spans:
            continue
        for k in range(config.entity_swap):
            new = entity_swap(ex, pool, random.Random(f"{config.seed}:entity:{ex.id}:{k}"), f"e{k}")
            if new is not None:
                out.append(new)
        for k in range(config.numeral_swap):
            new = numeral_swap(ex, random.Random(f"{config.seed}:numeral:{ex.id}:{k}"), f"n{k}")
            if new is not None:
                out.append(new)
    return out
