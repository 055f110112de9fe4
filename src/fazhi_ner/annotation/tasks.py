"""Label Studio task and result JSON built from documents and spans (pure, no server).

One task per document whose ``text`` is the seed text with the boilerplate *masked*: every character
outside the body or inside an excluded range is shown as ``MASK`` (line breaks kept). The length is
unchanged, so Label Studio offsets are document offsets directly, and the annotator never sees (or
labels) the web header and footer the guidelines exclude. ``body_start``/``body_end`` and ``masked``
tell the converter where the annotatable body is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fazhi_ner.formats.labelstudio import region, scored_prediction
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span, sort_spans

PROJECT_PREFIX = "FaZhi-NER "
DEFAULT_PROJECT = "FaZhi-NER gold"


def result_item(span: Span, origin: str = "manual") -> dict[str, Any]:
    """One ``labels`` annotation region (:func:`fazhi_ner.formats.labelstudio.region`) with its ``origin``."""
    return region(span, origin=origin)


def result_items(doc: Document, spans: Iterable[Span], origin: str | None = "manual") -> list[dict[str, Any]]:
    """Result regions for spans of ``doc`` (no ``origin`` when None); the covered text is taken from the document."""
    return [region(Span(s.start, s.end, s.label, doc.text[s.start : s.end]), origin=origin) for s in sort_spans(spans)]


MASK = "░"


def masked_ranges(doc: Document) -> list[tuple[int, int]]:
    """The ranges of ``doc`` that are not annotatable: before/after the body and every excluded range."""
    ranges = [(0, doc.body_start), *doc.excluded, (doc.body_end, len(doc.text))]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def task_text(doc: Document) -> str:
    """The seed text with every masked character replaced by :data:`MASK` (line breaks kept): same length."""
    chars = list(doc.text)
    for a, b in masked_ranges(doc):
        for i in range(a, b):
            if chars[i] not in "\r\n":
                chars[i] = MASK
    return "".join(chars)


def task_data(doc: Document) -> dict[str, Any]:
    return {
        "text": task_text(doc),
        "masked": [list(r) for r in masked_ranges(doc)],
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "body_start": doc.body_start,
        "body_end": doc.body_end,
    }


def build_task(
    doc: Document, predictions: Sequence[Span] | None = None, model_version: str | None = None
) -> dict[str, Any]:
    """The import JSON for one document, with the rule pre-annotations as one prediction."""
    task: dict[str, Any] = {"data": task_data(doc)}
    if predictions is not None:
        # LS marks prediction regions itself; "origin" is only meaningful on annotations.
        items = result_items(doc, predictions, origin=None)
        task["predictions"] = [scored_prediction(items, model_version or "unknown", None)]
    return task


def project_slug(title: str) -> str:
    """File name stem for a project's export: ``FaZhi-NER gold`` -> ``gold``, ``My pilot`` -> ``my-pilot``."""
    stem = title[len(PROJECT_PREFIX) :] if title.startswith(PROJECT_PREFIX) else title
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "project"
