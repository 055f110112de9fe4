"""Does a model depend on the text's form? Its spans on other forms of the test report vs on the original.

Why: published reports use full-width ``，；：（）`` and PDF copies are hard-wrapped; the seeds are neither. Each
model tags the test report's body as given and in each other form (through the text-form layer a user's report
goes through, :func:`tag`), and we score the span multiset (label + span text, compared in the
models' form with line breaks and spaces removed) against its own output on the original: 1.0 means the form
changed nothing. Issue 19's targets: >= 0.99 full-width, >= 0.97 wrapped every 37 characters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from fazhi_ner.baselines.results import FormRobustness
from fazhi_ner.spans import Span
from fazhi_ner.textform import chars_form

WRAP = 37
_FULL = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in ",;:()%!?"})


def full_width(text: str) -> str:
    """The punctuation most reports publish full-width: ``,;:()%!?`` -> ``，；：（）％！？``."""
    return text.translate(_FULL)


def hard_wrap(text: str, width: int = WRAP) -> str:
    """Every line cut into lines of ``width`` characters, as text copied from a PDF."""
    return "\n".join(
        "\n".join(line[i : i + width] for i in range(0, len(line), width)) or line for line in text.split("\n")
    )


VARIANTS: dict[str, Callable[[str], str]] = {
    "full-width punctuation": full_width,
    f"hard-wrapped every {WRAP} characters": hard_wrap,
}
TARGETS: dict[str, float] = {"full-width punctuation": 0.99, f"hard-wrapped every {WRAP} characters": 0.97}
DESCRIPTION = (
    "Span-multiset F1 (label + span text in the models' form, line breaks removed) of each model's output on the "
    "test report's body in another form against its own output on the original (1.0: the form changes nothing); "
    "every input goes through the text-form layer (`fazhi_ner.textform`), as `fazhi tag` does. Targets (issue 19): "
    + ", ".join(f"{name} >= {target}" for name, target in TARGETS.items())
    + ". Printed by `fazhi baselines forms`."
)


def _keys(spans: Iterable[Span]) -> Counter[tuple[str, str]]:
    return Counter((s.label, "".join(chars_form(s.text).split())) for s in spans)


def multiset_f1(reference: Iterable[Span], other: Iterable[Span]) -> float:
    """F1 of ``other`` against ``reference`` as span multisets (the package's rule: 0 when both are empty)."""
    from fazhi_ner.stats import f1

    a, b = _keys(reference), _keys(other)
    overlap = sum((a & b).values())
    return round(f1(overlap, sum(b.values()) - overlap, sum(a.values()) - overlap), 4)


def test_body() -> str:
    """The body of the test report (the text the issue measured on)."""
    from fazhi_ner.seeds import get_document
    from fazhi_ner.splits import SPLITS

    (doc_id,) = [d for d, split in SPLITS.items() if split == "test"]
    doc = get_document(doc_id)
    return doc.text[doc.body_start : doc.body_end]


def tag(text: str, model: Any) -> list[Span]:  # noqa: ANN401 - a loaded Baseline
    """The user path of ``fazhi tag`` without its I/O (the tagging layer sits above this one): the text in the
    models' form, split like the corpus, the model's spans after the shared decoding step, mapped back."""
    from fazhi_ner.rules.agency_prefix import split_agency_prefix
    from fazhi_ner.sentences import split_offsets
    from fazhi_ner.textform import normalise

    form = normalise(text)
    ranges = split_offsets(form.text)
    texts = [form.text[a:b] for a, b in ranges]
    predicted = model.predict(texts) if texts else []
    return [
        form.span(span.shifted(a))
        for (a, _), sentence, spans in zip(ranges, texts, predicted, strict=True)
        for span in split_agency_prefix(spans, sentence)
    ]


def robustness(model: Any, text: str | None = None) -> dict[str, float]:  # noqa: ANN401 - a loaded Baseline
    """F1 per variant of ``model``'s spans on ``text`` (default: the test report's body) in that form."""
    text = test_body() if text is None else text
    base = tag(text, model)
    return {name: multiset_f1(base, tag(change(text), model)) for name, change in VARIANTS.items()}


def block(models: dict[str, Any]) -> FormRobustness:
    """The ``form_robustness`` block of eval/baselines.json for loaded ``models`` keyed by name."""
    text = test_body()
    return FormRobustness(
        description=DESCRIPTION,
        variants=list(VARIANTS),
        targets=dict(TARGETS),
        models={name: robustness(model, text) for name, model in sorted(models.items())},
    )
