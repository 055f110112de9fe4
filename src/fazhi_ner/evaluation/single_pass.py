"""The harness's one pass over the sentences: entities are read once and every figure comes from that pass.

Predictions arrive as spans (validated here without building tags) or as IOB2 tags (decoded once, the way
seqeval's strict IOB2 mode reads them). Per sentence the pass then fills the strict (tp, fp, fn) counts, the
partial-match tally and the rows the error table needs; a sentence predicted exactly (the common case) only
adds its spans as correct. Strict figures, documents and the bootstrap all derive from the count array.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from fazhi_ner.corpus import Example
from fazhi_ner.errors import FaZhiError, SpanError
from fazhi_ner.evaluation.error_analysis import ErrorTable, error_table
from fazhi_ner.evaluation.partial import PartialReport, PartialTally
from fazhi_ner.evaluation.readers import InvalidPredictions
from fazhi_ner.labels import LABEL_NAMES, TAG_TO_ID
from fazhi_ner.spans import Span, invalid_transitions, tags_to_spans

_LABEL = {name: i for i, name in enumerate(LABEL_NAMES)}


def _key(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def checked_spans(spans: Sequence[object], length: int) -> list[Span]:
    """Spans sorted by (start, end, label), or a SpanError for what could not be IOB2 tags of ``length`` chars."""
    out = sorted((s if isinstance(s, Span) else Span(s.start, s.end, s.label) for s in spans), key=_key)  # type: ignore[attr-defined]
    end = 0
    for s in out:
        if s.label not in _LABEL:
            raise SpanError(f"span [{s.start}, {s.end}) has an unknown label {s.label!r}")
        if not (isinstance(s.start, int) and isinstance(s.end, int)) or s.start < 0 or s.end > length or s.start >= s.end:
            raise SpanError(f"span [{s.start}, {s.end}) does not fit a text of {length} at offset 0")
        if s.start < end:
            raise SpanError(f"span [{s.start}, {s.end}) {s.label} overlaps another span")
        end = s.end
    return out


def prediction_spans(
    examples: Sequence[Example], predictions: Mapping[str, Sequence[Span] | Sequence[str]], allow_missing: bool
) -> tuple[list[list[Span]], tuple[str, ...], int]:
    """Validate in-memory predictions like a file; return strict spans per sentence, missing ids, invalid transitions."""
    problems: list[str] = []
    ids = {ex.id for ex in examples}
    for sid in sorted(set(predictions) - ids):
        problems.append(f"predictions: unknown sentence id {sid!r}")
    missing = tuple(ex.id for ex in examples if ex.id not in predictions)
    if missing and not allow_missing:
        problems.append(f"predictions: {len(missing)} sentence id(s) missing, first {missing[0]!r}")
    out: list[list[Span]] = []
    invalid = 0
    for ex in examples:
        value = predictions.get(ex.id, ())
        n = len(ex.text)
        if value and all(isinstance(v, str) for v in value):
            tags = [str(v) for v in value]
            if len(tags) != n or any(t not in TAG_TO_ID for t in tags):
                problems.append(
                    f"predictions: {ex.id}: tags expected {n} IOB2 tags, found {len(tags)} (or unknown tags)"
                )
                tags = []
            invalid += invalid_transitions(tags)
            out.append(tags_to_spans(tags))
            continue
        try:
            out.append(checked_spans(value, n))  # type: ignore[arg-type]
        except (AttributeError, TypeError, FaZhiError) as exc:
            problems.append(f"predictions: {ex.id}: invalid spans ({exc})")
            out.append([])
    if problems:
        raise InvalidPredictions("predictions", problems)
    return out, missing, invalid


@dataclass(frozen=True)
class SentenceScores:
    """What the pass produces: (sentences, labels, 3) tp/fp/fn counts, partial matches and the error table."""

    counts: np.ndarray = field(repr=False)
    partial: PartialReport
    errors: ErrorTable


def score_sentences(
    examples: Sequence[Example], gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]
) -> SentenceScores:
    """One pass over sentence-aligned, sorted gold and predicted spans."""
    width = len(LABEL_NAMES) * 3
    flat = [0] * (len(examples) * width)
    tally = PartialTally()
    wrong: list[tuple[str, str, Sequence[Span], Sequence[Span]]] = []
    for i, (ex, g, p) in enumerate(zip(examples, gold, pred, strict=True)):
        base = i * width
        gold_keys = [_key(s) for s in g]
        pred_keys = [_key(s) for s in p]
        if gold_keys == pred_keys:
            for _, _, label in gold_keys:
                flat[base + 3 * _LABEL[label]] += 1
            if g:
                tally.add_identical(g)
            continue
        in_gold, in_pred = set(gold_keys), set(pred_keys)
        for key in in_pred:
            flat[base + 3 * _LABEL[key[2]] + (0 if key in in_gold else 1)] += 1
        for key in in_gold - in_pred:
            flat[base + 3 * _LABEL[key[2]] + 2] += 1
        tally.add(g, p)
        wrong.append((ex.id, ex.text, g, p))  # a sentence predicted exactly has no error to classify
    counts = np.array(flat, dtype=np.int64).reshape(len(examples), len(LABEL_NAMES), 3)
    return SentenceScores(counts, tally.report(), error_table(wrong))


def gold_spans(ex: Example) -> list[Span]:
    """The example's spans sorted, checked like tags would check them (overlap is an error, as before)."""
    return checked_spans(ex.spans, len(ex.text))
