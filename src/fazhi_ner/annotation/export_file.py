"""Writing a pulled Label Studio export without ever losing annotations already on disk.

Why: ``annotate pull`` against a freshly started (empty) server once replaced the committed gold
export with 5 tasks and 0 annotations. An export file is curated data: a new pull may replace it
only when it holds at least as many annotations, or when the user says ``--force``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.errors import AnnotationError, DataLossError
from fazhi_ner.formats.labelstudio import read_tasks


def count_annotations(tasks: Sequence[Mapping[str, Any]]) -> int:
    """Non-cancelled annotations over all tasks (what a conversion could use)."""
    return sum(
        1
        for task in tasks
        if isinstance(task, Mapping)
        for a in (task.get("annotations") or [])
        if isinstance(a, Mapping) and not a.get("was_cancelled")
    )


def annotations_in_file(path: Path) -> int | None:
    """Annotations in an existing export file; None when it is not a readable export (treated as precious)."""
    try:
        return count_annotations(read_tasks(path))
    except AnnotationError:
        return None


def write_export(target: Path, tasks: Sequence[Mapping[str, Any]], text: str, *, force: bool = False) -> None:
    """Atomically write ``text`` (the dumped ``tasks``) to ``target``, refusing to lose annotations.

    Refused without ``force``: ``target`` exists and holds more annotations than ``tasks``, or is
    not a readable export. Nothing is written when refused.
    """
    new = count_annotations(tasks)
    if target.exists() and not force:
        old = annotations_in_file(target)
        if old is None:
            raise DataLossError(
                f"{target}: exists and is not a readable export; refusing to overwrite it with {new} annotation(s). "
                "Write elsewhere with --out, or pass --force"
            )
        if old > new:
            raise DataLossError(
                f"{target}: holds {old} annotation(s), the new export only {new}; refusing to overwrite it. "
                "Write elsewhere with --out, or pass --force"
            )
    atomic_write_text(target, text)
