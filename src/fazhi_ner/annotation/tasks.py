"""Label Studio task and result JSON built from documents and spans (pure, no server).

One task per document whose ``text`` is the full seed text, so Label Studio offsets are document
offsets directly; ``body_start``/``body_end`` tell the annotator (and the converter) where the
annotatable body is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span, sort_spans

FROM_NAME, TO_NAME, RESULT_TYPE = "label", "text", "labels"
PROJECT_PREFIX = "FaZhi-NER "
DEFAULT_PROJECT = "FaZhi-NER gold"


def result_item(span: Span, origin: str = "manual") -> dict[str, Any]:
    """One ``labels`` result region; its id is derived from the offsets so re-submitting is stable."""
    return {
        "id": f"{span.label[:3].lower()}{span.start}-{span.end}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": RESULT_TYPE,
        "origin": origin,
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }


def result_items(doc: Document, spans: Iterable[Span], origin: str = "manual") -> list[dict[str, Any]]:
    """Result regions for spans of ``doc``; the covered text is always taken from the document."""
    return [result_item(Span(s.start, s.end, s.label, doc.text[s.start : s.end]), origin) for s in sort_spans(spans)]


def task_data(doc: Document) -> dict[str, Any]:
    return {
        "text": doc.text,
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
        items = [{k: v for k, v in item.items() if k != "origin"} for item in result_items(doc, predictions)]
        task["predictions"] = [{"model_version": model_version or "unknown", "result": items}]
    return task


def project_slug(title: str) -> str:
    """File name stem for a project's export: ``FaZhi-NER gold`` -> ``gold``, ``My pilot`` -> ``my-pilot``."""
    stem = title[len(PROJECT_PREFIX) :] if title.startswith(PROJECT_PREFIX) else title
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "project"
