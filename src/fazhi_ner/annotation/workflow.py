"""The annotation workflow behind `fazhi annotate push` and `render`, as library functions.

Why here and not in the CLI: pushing reconciles the project's tasks with the seeds (never
duplicating a task, refusing tasks whose text changed), which is logic to test and reuse; the
command only parses arguments and prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_ner.errors import AnnotationError
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span

Predict = Callable[[Document], tuple[list[Span], str]]


def rule_predictions(doc):  # noqa: ANN001, ANN201 - imported lazily: fazhi_ner.rules is optional here
    """Rule pre-annotations (spans) and the rules version for a document."""
    try:
        from fazhi_ner import rules
    except ImportError as exc:
        from fazhi_ner.errors import AnnotationError

        raise AnnotationError(f"rule pre-annotator unavailable ({exc}); use --no-predictions") from None
    return list(rules.annotate_document(doc)), str(rules.RULES_VERSION)


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created: bool
    imported: int
    present: int


def push_documents(
    client: Any,
    project_title: str,
    documents: Sequence[Document],
    predict: Predict | None,
    *,
    build_tasks: Callable[[list[Document]], list[dict[str, Any]]] | None = None,
) -> PushResult:
    """Create or find the project (by title) and import one task per document not yet present.

    Tasks already present (matched on data.doc_id) are left alone, so re-running never duplicates;
    a present task whose sha256 differs from the seed is an error (its offsets cannot be trusted).
    ``build_tasks``, when given, makes the import JSON of the new documents itself (a model's scored
    predictions, in its own order); otherwise each task carries ``predict``'s spans.
    """
    from fazhi_ner.annotation.client import ensure_project, import_tasks, list_tasks, tasks_by_doc
    from fazhi_ner.annotation.tasks import build_task
    from fazhi_ner.schema import label_config_xml

    project, created = ensure_project(client, project_title, label_config_xml())
    existing = tasks_by_doc(list_tasks(client, project.id))
    stale = [
        f"task {existing[d.doc_id].id} ({d.doc_id})"
        for d in documents
        if d.doc_id in existing and (existing[d.doc_id].data or {}).get("sha256") != d.sha256
    ]
    if stale:
        raise AnnotationError(
            f"project {project_title!r}: tasks whose sha256 differs from the seed: {', '.join(stale)}"
        )
    missing = [doc for doc in documents if doc.doc_id not in existing]
    if build_tasks is not None:
        new = build_tasks(missing)
    else:
        new = []
        for doc in missing:
            predictions, version = predict(doc) if predict is not None else (None, None)
            new.append(build_task(doc, predictions, version))
    ids = import_tasks(client, project.id, new)
    return PushResult(project.id, created, len(ids), len(documents) - len(new))


def review_spans(
    doc: Document, source: str, *, export: Path | None, gold_directory: Path | None, predict: Predict
) -> list[Span]:
    """The spans a review file shows: the rule predictions, an export's annotation, or the gold."""
    from fazhi_ner.annotation.convert import export_document_spans
    from fazhi_ner.gold import read_gold_file
    from fazhi_ner.paths import gold_dir
    from fazhi_ner.seeds import documents_by_id

    if source == "rules":
        return predict(doc)[0]
    if source == "export":
        if export is None:
            raise AnnotationError("--source export needs --export EXPORT.json")
        return export_document_spans(export, doc.doc_id, documents_by_id())
    if source == "gold":
        path = (gold_directory or gold_dir()) / f"{doc.doc_id}.jsonl"
        if not path.is_file():
            raise AnnotationError(f"{path}: no gold file for {doc.doc_id}")
        return read_gold_file(path, doc)
    raise AnnotationError(f"--source: expected rules, export or gold, found {source!r}")
