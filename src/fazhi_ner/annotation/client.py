"""Headless Label Studio operations through label-studio-sdk 2.x: project, tasks, annotations, export.

Everything an annotator does in the browser that the pipeline needs (creating the project,
importing tasks with pre-annotations, submitting an annotation, exporting JSON) goes through the
same REST API here, so the tests exercise the real workflow.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fazhi_ner.annotation.tasks import result_items
from fazhi_ner.errors import ServerError
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span

VOLATILE_KEYS = frozenset({"created_ago"})  # "3 minutes": changes with the clock, not with the data


def connect(base_url: str, token: str) -> Any:
    """An SDK client; fails with :class:`ServerError` when the server or the token is not usable."""
    from label_studio_sdk import LabelStudio
    from label_studio_sdk.core.api_error import ApiError

    client = LabelStudio(base_url=base_url, api_key=token, timeout=60)
    try:
        client.users.whoami()
    except ApiError as exc:
        raise ServerError(
            f"{base_url}: API token refused (HTTP {exc.status_code}); check FAZHI_LS_TOKEN or credentials.json"
        ) from None
    except Exception as exc:  # connection errors come from httpx
        raise ServerError(
            f"{base_url}: cannot reach Label Studio ({exc.__class__.__name__}); start it with `fazhi annotate serve`"
        ) from None
    return client


def _api(call: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    from label_studio_sdk.core.api_error import ApiError

    try:
        return func(*args, **kwargs)
    except ApiError as exc:
        body = json.dumps(exc.body, ensure_ascii=False)[:200] if exc.body is not None else ""
        raise ServerError(f"Label Studio {call}: HTTP {exc.status_code} {body}") from None


def find_project(client: Any, title: str) -> Any | None:
    """The project with exactly this title; several with the same title is an error."""
    found = [p for p in _api("list projects", client.projects.list, title=title) if p.title == title]
    if len(found) > 1:
        raise ServerError(
            f"project title {title!r}: {len(found)} projects share it (ids {[p.id for p in found]}); rename one"
        )
    return found[0] if found else None


def require_project(client: Any, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise ServerError(f"project {title!r} not found on the server; create it with `fazhi annotate push`")
    return project


def ensure_project(client: Any, title: str, label_config: str) -> tuple[Any, bool]:
    """Find the project by title or create it; keeps its label config equal to the generated one."""
    if len(title) < 3:
        raise ServerError(f"project title {title!r}: Label Studio needs at least 3 characters")
    project = find_project(client, title)
    if project is None:
        created = _api("create project", client.projects.create, title=title, label_config=label_config)
        return created, True
    current = _api("get project", client.projects.get, project.id)
    if (current.label_config or "").strip() != label_config.strip():
        _api("update label config", client.projects.update, project.id, label_config=label_config)
    return current, False


def list_tasks(client: Any, project_id: int, *, with_annotations: bool = False) -> list[Any]:
    fields = "all" if with_annotations else "task_only"
    return list(_api("list tasks", client.tasks.list, project=project_id, fields=fields, page_size=100))


def tasks_by_doc(tasks: Sequence[Any]) -> dict[str, Any]:
    by_doc: dict[str, Any] = {}
    for task in tasks:
        doc_id = (task.data or {}).get("doc_id")
        if doc_id in by_doc:
            raise ServerError(f"doc_id {doc_id!r}: tasks {by_doc[doc_id].id} and {task.id} in one project; delete one")
        if doc_id is not None:
            by_doc[doc_id] = task
    return by_doc


def import_tasks(client: Any, project_id: int, tasks: Sequence[Mapping[str, Any]]) -> list[int]:
    if not tasks:
        return []
    response = _api("import tasks", client.projects.import_tasks, project_id, request=list(tasks), return_task_ids=True)
    return list(response.task_ids or [])


@dataclass(frozen=True)
class Submitted:
    task_id: int
    annotation_id: int
    updated: bool  # True when an earlier annotation by the same user was replaced


def submit_annotation(client: Any, project_id: int, doc: Document, spans: Sequence[Span]) -> Submitted:
    """Submit spans as this user's annotation of the document's task.

    Policy: one annotation per user per task. If the user already has a (non-cancelled)
    annotation on the task, the most recently updated one is updated in place; otherwise one is created.
    """
    task = tasks_by_doc(list_tasks(client, project_id)).get(doc.doc_id)
    if task is None:
        raise ServerError(f"{doc.doc_id}: no task in project {project_id}; push the document first")
    me = _api("whoami", client.users.whoami)
    result = result_items(doc, spans, origin="manual")
    mine = [
        a
        for a in _api("list annotations", client.annotations.list, task.id)
        if a.completed_by == me.id and not a.was_cancelled
    ]
    if mine:
        latest = max(mine, key=lambda a: (a.updated_at or a.created_at, a.id))
        _api("update annotation", client.annotations.update, latest.id, result=result, was_cancelled=False)
        return Submitted(task.id, int(latest.id), True)
    created = _api(
        "create annotation", client.annotations.create, task.id, result=result, was_cancelled=False, ground_truth=False
    )
    return Submitted(task.id, int(created.id), False)


def _strip_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_strip_volatile(v) for v in value]
    return value


def export_json(client: Any, project_id: int) -> list[dict[str, Any]]:
    """All tasks (annotated or not) as Label Studio JSON, sorted by doc_id, without clock-dependent fields."""
    raw = b"".join(
        _api("export", client.projects.exports.download_sync, project_id, export_type="JSON", download_all_tasks=True)
    )
    try:
        tasks = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ServerError(f"project {project_id}: export is not JSON ({exc.msg})") from None
    if not isinstance(tasks, list):
        raise ServerError(f"project {project_id}: export expected a list of tasks, found {type(tasks).__name__}")
    for task in tasks:
        task["annotations"] = sorted(task.get("annotations") or [], key=lambda a: a.get("id", 0))
    tasks.sort(key=lambda t: (str((t.get("data") or {}).get("doc_id", "")), t.get("id", 0)))
    return _strip_volatile(tasks)
