"""Error analysis: sort every prediction mistake into a category and keep real corpus examples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fazhi_ner.corpus import Example
from fazhi_ner.spans import Span

CATEGORIES = ("missed", "spurious", "boundary", "label", "label+boundary")
_CONTEXT = 12


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _context(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    return (
        ("…" if lo > 0 else "")
        + text[lo:start]
        + "【"
        + text[start:end]
        + "】"
        + text[end:hi]
        + ("…" if hi < len(text) else "")
    )


def _show(spans: Sequence[Span]) -> str:
    return " | ".join(f"{s.text}/{s.label}" for s in spans) or "-"


def analyse(gold: Sequence[Example], predicted: Mapping[str, Sequence[Span]], *, examples: int = 4) -> dict[str, Any]:
    """Counts per category and the first ``examples`` cases of each (in sentence-id order)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    shown: dict[str, list[dict[str, str]]] = {c: [] for c in CATEGORIES}
    for ex in sorted(gold, key=lambda e: e.id):
        gold_spans = [Span(s.start, s.end, s.label, ex.text[s.start : s.end]) for s in ex.spans]
        pred_spans = [Span(s.start, s.end, s.label, ex.text[s.start : s.end]) for s in predicted.get(ex.id, ())]
        exact = {(s.start, s.end, s.label) for s in gold_spans} & {(s.start, s.end, s.label) for s in pred_spans}
        cases: list[tuple[str, list[Span], list[Span]]] = []
        for p in pred_spans:
            if (p.start, p.end, p.label) in exact:
                continue
            hits = [g for g in gold_spans if _overlap(g, p)]
            if not hits:
                cases.append(("spurious", [], [p]))
            elif any(g.label == p.label for g in hits):
                cases.append(("boundary", hits, [p]))
            elif any((g.start, g.end) == (p.start, p.end) for g in hits):
                cases.append(("label", hits, [p]))
            else:
                cases.append(("label+boundary", hits, [p]))
        for g in gold_spans:
            if (g.start, g.end, g.label) in exact:
                continue
            if not any(_overlap(g, p) for p in pred_spans):
                cases.append(("missed", [g], []))
        for category, gs, ps in cases:
            counts[category] += 1
            if len(shown[category]) < examples:
                spans = gs + ps
                start, end = min(s.start for s in spans), max(s.end for s in spans)
                shown[category].append(
                    {"id": ex.id, "context": _context(ex.text, start, end), "gold": _show(gs), "predicted": _show(ps)}
                )
    return {"counts": counts, "examples": shown}
