"""Partial matching equals nervaluate 1.2.1 (the oracle) on hand cases and random spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from fazhi_ner.evaluation.partial import SCHEMAS, match, partial_report
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span

NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _oracle(gold: list[list[Span]], pred: list[list[Span]]) -> dict:
    conv = lambda doc: [{"label": s.label, "start": s.start, "end": s.end - 1} for s in doc]  # noqa: E731
    return Evaluator([conv(d) for d in gold], [conv(d) for d in pred], tags=list(LABEL_NAMES), loader="dict").evaluate()


def test_hand_case() -> None:
    gold = [Span(0, 4, "AGENCY"), Span(6, 10, "INDICATOR"), Span(12, 14, "INITIATIVE")]
    pred = [Span(0, 4, "AGENCY"), Span(6, 9, "INDICATOR"), Span(12, 14, "AGENCY"), Span(20, 22, "AGENCY")]
    strict = match(gold, pred, "strict")
    assert (strict.correct, strict.incorrect, strict.partial, strict.missed, strict.spurious) == (1, 2, 0, 0, 1)
    partial = match(gold, pred, "partial")
    assert (partial.correct, partial.partial, partial.spurious) == (2, 1, 1)
    assert partial.scores("partial")[0] == (2 + 0.5) / 4
    typed = match(gold, pred, "type")
    assert (typed.correct, typed.incorrect) == (2, 1)
    exact = match(gold, pred, "exact")
    assert (exact.correct, exact.incorrect) == (2, 1)


def _spans(draw, length: int = 30) -> list[Span]:  # noqa: ANN001
    out = []
    pos = 0
    while pos < length - 1:
        pos += draw(st.integers(0, 5))
        width = draw(st.integers(1, 5))
        if pos + width > length:
            break
        out.append(Span(pos, pos + width, draw(st.sampled_from(LABEL_NAMES))))
        pos += width
    return out


@st.composite
def corpora(draw):  # noqa: ANN001, ANN201
    n = draw(st.integers(1, 5))
    return [_spans(draw) for _ in range(n)], [_spans(draw) for _ in range(n)]


@settings(max_examples=120, deadline=None)
@given(corpora())
def test_equals_nervaluate(data) -> None:  # noqa: ANN001
    gold, pred = data
    ours = partial_report(gold, pred)
    ref = _oracle(gold, pred)
    for schema in SCHEMAS:
        got, want = ours.overall[schema], ref["overall"][NERVALUATE_NAME[schema]]
        assert (got.correct, got.incorrect, got.partial, got.missed, got.spurious) == (
            want.correct, want.incorrect, want.partial, want.missed, want.spurious,
        )  # fmt: skip
        assert abs(got.scores(schema)[2] - want.f1) < 1e-9
        for name in LABEL_NAMES:
            if name in ref["entities"]:
                w = ref["entities"][name][NERVALUATE_NAME[schema]]
                g = ours.per_label[name][schema]
                assert (g.correct, g.incorrect, g.partial, g.missed, g.spurious) == (
                    w.correct, w.incorrect, w.partial, w.missed, w.spurious,
                )  # fmt: skip
