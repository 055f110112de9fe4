"""Label Studio JSON: task files (an export or an import) and the ``labels`` result regions inside them.

Owned here, below every stage, so ``annotate push``/``pull``/``convert``, the ML backend and
``fazhi tag --format labelstudio`` build and read one and the same region (the tagging stage does not
reach into the annotation stage for it). A region::

    {"id": "ind12-20", "from_name": "label", "to_name": "text", "type": "labels", ["origin": "manual",]
     "value": {"start": 12, "end": 20, "text": "...", "labels": ["INDICATOR"]}, ["score": 0.9]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_ner.errors import AnnotationError, FaZhiError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span

FROM_NAME, TO_NAME, RESULT_TYPE = "label", "text", "labels"


def region_id(span: Span) -> str:
    """Derived from label and offsets, so re-submitting the same span gives the same region."""
    return f"{span.label[:3].lower()}{span.start}-{span.end}"


def region(span: Span, *, origin: str | None = None, score: float | None = None) -> dict[str, Any]:
    """One ``labels`` region (``span.text`` is the covered text): the one writer of a region.

    ``origin`` only on annotations (Label Studio marks prediction regions itself); ``score`` only when
    the model has one.
    """
    out: dict[str, Any] = {"id": region_id(span), "from_name": FROM_NAME, "to_name": TO_NAME, "type": RESULT_TYPE}
    if origin is not None:
        out["origin"] = origin
    out["value"] = {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}
    if score is not None:
        out["score"] = score
    return out


@dataclass(frozen=True)
class RegionProblem:
    """Why a result item is not a usable region: ``kind``, the offsets when known, expected and found."""

    kind: str
    expected: object
    found: object
    start: int | None = None
    end: int | None = None


def read_region(item: object) -> Span | RegionProblem:
    """The span of one result item (offsets unchecked against any text), else the problem with it: the one reader."""
    value = item.get("value") if isinstance(item, Mapping) else None
    if not isinstance(item, Mapping) or not isinstance(value, Mapping):
        return RegionProblem("malformed result item", "object with a value", item)
    start, end = value.get("start"), value.get("end")
    offsets = {"start": start if isinstance(start, int) else None, "end": end if isinstance(end, int) else None}
    if (item.get("from_name"), item.get("to_name"), item.get("type")) != (FROM_NAME, TO_NAME, RESULT_TYPE):
        return RegionProblem(
            "result item from another control",
            f"{FROM_NAME}->{TO_NAME} {RESULT_TYPE}",
            f"{item.get('from_name')}->{item.get('to_name')} {item.get('type')}",
            **offsets,
        )
    if offsets["start"] is None or offsets["end"] is None or isinstance(start, bool) or isinstance(end, bool):
        return RegionProblem("offsets are not integers", "integer start and end", f"{start!r}, {end!r}")
    labels = value.get("labels")
    if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
        return RegionProblem("expected exactly one label", "[LABEL]", labels, start, end)
    if labels[0] not in LABEL_NAMES:
        return RegionProblem("unknown label", " | ".join(LABEL_NAMES), labels[0], start, end)
    text = value.get("text")
    if not isinstance(text, str):
        return RegionProblem("region has no text", "the covered text", text, start, end)
    return Span(start, end, labels[0], text)


def read_regions(result: object, *, where: str, error: type[FaZhiError] = AnnotationError) -> list[Span]:
    """The spans of a result list; the first bad item raises ``error`` naming ``where``, the item and its offsets."""
    if not isinstance(result, list):
        raise error(f"{where}: annotation result expected a list, found {type(result).__name__}")
    spans = []
    for index, item in enumerate(result):
        got = read_region(item)
        if isinstance(got, RegionProblem):
            at = f" [{got.start}, {got.end})" if got.start is not None and got.end is not None else ""
            raise error(f"{where}: result item {index}{at}: {got.kind}: expected {got.expected}, found {got.found!r}")
        spans.append(got)
    return spans


def scored_prediction(regions: Sequence[dict[str, Any]], model_version: str, score: float | None) -> dict[str, Any]:
    """One Label Studio prediction: ``model_version``, the regions and the task ``score`` when there is one."""
    out: dict[str, Any] = {"model_version": model_version, "result": list(regions)}
    if score is not None:
        out["score"] = score
    return out


def write_tasks(tasks: Sequence[Mapping[str, Any]]) -> str:
    """A task list as we commit exports: indented, keys sorted, non-ASCII kept, a final newline."""
    return json.dumps(list(tasks), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_tasks(path: Path, *, error: type[FaZhiError] = AnnotationError) -> list[dict[str, Any]]:
    """The tasks of a Label Studio JSON export (a list of task objects); anything else raises ``error``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: export file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not a JSON file ({exc})") from None
    except RecursionError:
        raise error(f"{path}: not a Label Studio export (JSON nested too deeply to read)") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the export ({exc.__class__.__name__})") from None
    if not isinstance(data, list) or not all(isinstance(task, dict) for task in data):
        raise error(
            f"{path}: expected a Label Studio JSON export (a list of task objects), found {type(data).__name__}"
        )
    return data
