"""An error table from the actual sentences: boundary errors, type confusions, misses and spurious spans.

Every gold span not exactly predicted is either paired with the first overlapping wrong prediction
(boundary, type or boundary+type) or missed; wrong predictions left over are spurious. So strict
fn = missed + paired and fp = spurious + paired, where paired is the sum of the three pair kinds. Across these
kinds, :data:`ABSORBED` counts predicted INDICATORs that swallowed the agency starting their clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_ner.results import Record
from fazhi_ner.spans import Span

KINDS: tuple[str, ...] = ("boundary", "type", "boundary+type", "missed", "spurious")
# A class across the kinds above (issue 19): a predicted INDICATOR that begins where a gold AGENCY begins and runs
# past it, i.e. the model swallowed the clause's agency into the indicator (the guidelines give it its own span).
ABSORBED = "indicator begins with an agency"
CONTEXT = 12


@dataclass(frozen=True)
class ErrorExample(Record):
    kind: str
    sentence_id: str
    gold: str  # "text/LABEL" or ""
    predicted: str
    context: str  # the sentence around the error, gold span in [ ]

    def as_dict(self) -> dict[str, str]:
        return self.to_data()


def _show(span: Span | None, text: str) -> str:
    return "" if span is None else f"{text[span.start : span.end]}/{span.label}"


def _context(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    return (
        ("…" if lo else "")
        + text[lo:start]
        + "["
        + text[start:end]
        + "]"
        + text[end:hi]
        + ("…" if hi < len(text) else "")
    )


def classify(sentence_id: str, text: str, gold: Sequence[Span], pred: Sequence[Span]) -> list[ErrorExample]:
    """The errors of one sentence, in text order."""
    gold_keys = {(s.start, s.end, s.label) for s in gold}
    pred_keys = {(s.start, s.end, s.label) for s in pred}
    wrong_gold = [s for s in gold if (s.start, s.end, s.label) not in pred_keys]
    wrong_pred = [s for s in pred if (s.start, s.end, s.label) not in gold_keys]
    out: list[ErrorExample] = []
    used: set[int] = set()
    for g in wrong_gold:
        partner = None
        for j, p in enumerate(wrong_pred):
            if j not in used and p.start < g.end and g.start < p.end:
                partner = j
                break
        if partner is None:
            out.append(ErrorExample("missed", sentence_id, _show(g, text), "", _context(text, g.start, g.end)))
            continue
        used.add(partner)
        p = wrong_pred[partner]
        same_bounds = (p.start, p.end) == (g.start, g.end)
        kind = "type" if same_bounds else ("boundary" if p.label == g.label else "boundary+type")
        out.append(ErrorExample(kind, sentence_id, _show(g, text), _show(p, text), _context(text, g.start, g.end)))
    for j, p in enumerate(wrong_pred):
        if j not in used:
            out.append(ErrorExample("spurious", sentence_id, "", _show(p, text), _context(text, p.start, p.end)))
    return out


def agency_absorbed(sentence_id: str, text: str, gold: Sequence[Span], pred: Sequence[Span]) -> list[ErrorExample]:
    """Predicted INDICATORs that start with a gold AGENCY and go on past its end."""
    agencies = [g for g in gold if g.label == "AGENCY"]
    return [
        ErrorExample(ABSORBED, sentence_id, _show(g, text), _show(p, text), _context(text, p.start, p.end))
        for p in pred
        if p.label == "INDICATOR"
        for g in agencies
        if g.start == p.start and g.end < p.end
    ]


@dataclass(frozen=True)
class ErrorTable:
    """Counts and examples per kind; ``absorbed`` counts the :data:`ABSORBED` class across the kinds (kept out of
    ``counts``, which partition the strict errors)."""

    counts: dict[str, int]
    examples: dict[str, list[ErrorExample]]
    absorbed: int = 0
    absorbed_examples: tuple[ErrorExample, ...] = ()

    def summary(self, per_kind: int | None = None) -> ErrorSummary:
        """Counts and the first ``per_kind`` examples of each kind (all when None)."""
        return ErrorSummary(dict(self.counts), {k: list(v[:per_kind]) for k, v in self.examples.items()})

    def as_dict(self) -> dict[str, object]:
        return self.summary().to_data()


@dataclass(frozen=True)
class ErrorSummary(Record):
    """The error table as JSON (``fazhi eval evaluate --json``, eval/baselines.json's ``errors``)."""

    counts: dict[str, int]  # by kind
    examples: dict[str, list[ErrorExample]]  # by kind


def error_table(rows: Sequence[tuple[str, str, Sequence[Span], Sequence[Span]]], per_kind: int = 5) -> ErrorTable:
    """Counts per error kind and the first ``per_kind`` examples of each, in corpus order."""
    counts = dict.fromkeys(KINDS, 0)
    examples: dict[str, list[ErrorExample]] = {k: [] for k in KINDS}
    absorbed: list[ErrorExample] = []
    for sentence_id, text, gold, pred in rows:
        for err in classify(sentence_id, text, gold, pred):
            counts[err.kind] += 1
            if len(examples[err.kind]) < per_kind:
                examples[err.kind].append(err)
        absorbed += agency_absorbed(sentence_id, text, gold, pred)
    return ErrorTable(counts, examples, len(absorbed), tuple(absorbed[:per_kind]))


def absorbed_count(examples: Sequence[object], predictions: dict[str, Sequence[Span]]) -> int:
    """How many predicted INDICATORs begin with a gold AGENCY, over ``examples`` (corpus ``Example``s)."""
    return sum(
        len(agency_absorbed(ex.id, ex.text, ex.spans, predictions.get(ex.id, ())))  # type: ignore[attr-defined]
        for ex in examples
    )
