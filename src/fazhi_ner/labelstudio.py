"""Label Studio's names for this project's labelling interface, and a model's scored prediction.

Owned here, below every stage, so ``annotate push``, the ML backend and ``fazhi tag --format labelstudio``
build one and the same region (the tagging stage no longer reaches into the annotation stage for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fazhi_ner.spans import Span

FROM_NAME, TO_NAME, RESULT_TYPE = "label", "text", "labels"


def region_id(span: Span) -> str:
    """Derived from label and offsets, so re-submitting the same span gives the same region."""
    return f"{span.label[:3].lower()}{span.start}-{span.end}"


def prediction_region(span: Span, score: float | None = None) -> dict[str, Any]:
    """One predicted ``labels`` region (``span.text`` is the covered text); ``score`` only when the model has one."""
    region: dict[str, Any] = {
        "id": region_id(span),
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": RESULT_TYPE,
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    if score is not None:
        region["score"] = score
    return region


def scored_prediction(regions: Sequence[dict[str, Any]], model_version: str, score: float | None) -> dict[str, Any]:
    """One Label Studio prediction: ``model_version``, the regions and the task ``score`` when there is one."""
    out: dict[str, Any] = {"model_version": model_version, "result": list(regions)}
    if score is not None:
        out["score"] = score
    return out
