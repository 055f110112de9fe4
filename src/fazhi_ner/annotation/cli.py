"""Commands of the annotation stage: a real Label Studio server and the export -> gold conversion."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from fazhi_ner.annotation.tasks import DEFAULT_PROJECT
from fazhi_ner.annotation.workflow import rule_predictions  # a module global, so tests can replace it

if TYPE_CHECKING:
    from fazhi_ner.seeds import Document

app = typer.Typer(
    help="Annotation: Label Studio server, push/pull/apply, review files, export -> gold.", no_args_is_help=True
)

_URL = typer.Option(None, "--url", help="Server URL (default $FAZHI_LS_URL or http://127.0.0.1:8080).")
_DATA_DIR = typer.Option(
    None, "--data-dir", help="Label Studio data dir holding credentials.json (default .labelstudio/)."
)
_FORCE_CONVERT = typer.Option(
    False, "--force", help="This export replaces the whole gold: delete gold files of documents it lacks."
)
_TITLE = typer.Option(DEFAULT_PROJECT, "--project-title", help="Label Studio project title (at least 3 characters).")


def _data_dir(data_dir: Path | None) -> Path:
    from fazhi_ner.paths import project_root

    return (data_dir or project_root() / ".labelstudio").resolve()


def _client(url: str | None, data_dir: Path | None):  # noqa: ANN202 - SDK client type is dynamic
    from fazhi_ner.annotation.client import connect
    from fazhi_ner.annotation.credentials import token_for_client

    base_url = (url or os.environ.get("FAZHI_LS_URL") or "http://127.0.0.1:8080").rstrip("/")
    return connect(base_url, token_for_client(_data_dir(data_dir)))


@app.command("serve")
def serve(
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    data_dir: Path | None = _DATA_DIR,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (keep 127.0.0.1 unless you mean it)."),
    detach: bool = typer.Option(False, "--detach", help="Start in the background and write <data dir>/server.json."),
    timeout: float = typer.Option(
        300.0, "--timeout", help="Upper bound in seconds on the wait for GET /health (a first start migrates a database)."
    ),
) -> None:
    """Run the real Label Studio server (foreground until Ctrl-C, or --detach).

    The admin user and API token come from FAZHI_LS_USERNAME / FAZHI_LS_PASSWORD / FAZHI_LS_TOKEN or are
    generated once, and are stored in <data dir>/credentials.json (mode 0600); secrets are never printed.
    Auth: legacy API token (LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true with LABEL_STUDIO_USER_TOKEN):
    clients send 'Authorization: Token <token>'.
    """
    from rich.console import Console

    from fazhi_ner.annotation.credentials import credentials_path
    from fazhi_ner.annotation.server import (
        LOG_FILE,
        network_exposure,
        serve_foreground,
        start_server,
        write_pid_file,
    )

    directory = _data_dir(data_dir)
    with Console(stderr=True).status("starting Label Studio") as status:

        def waiting(seconds: float, last_log_line: str) -> None:
            status.update(f"waiting for Label Studio on port {port}: {seconds:.0f} s of at most {timeout:.0f} s; log: {last_log_line[:80]}")

        process, running = start_server(
            directory, port, host, timeout=timeout, die_with_parent=not detach, on_wait=waiting
        )
    typer.echo(f"Label Studio is up at {running.base_url}")
    if exposure := network_exposure(host, port):
        typer.echo(exposure)
    typer.echo(f"log in as {running.username}; password and API token are in {credentials_path(directory)}")
    typer.echo(f"server log: {directory / LOG_FILE}")
    if detach:
        typer.echo(
            f"running in the background (pid {running.pid}, {write_pid_file(running)}); stop it with `fazhi annotate stop`"
        )
        return
    typer.echo("press Ctrl-C to stop (SIGTERM or closing the terminal stops it too)")
    reason = serve_foreground(process, running)
    typer.echo(f"stopped Label Studio ({reason})")


@app.command("stop")
def stop(
    data_dir: Path | None = _DATA_DIR,
    port: int | None = typer.Option(None, "--port", help="Also look for a label-studio listening on this port."),
) -> None:
    """Stop a server started with `serve` (found by <data dir>/server.json, else by --port)."""
    from fazhi_ner.annotation.server import stop_running

    typer.echo(f"stopped Label Studio (pid {stop_running(_data_dir(data_dir), port)})")


def _connect_or_exit2(connect: Callable[[], Any]) -> Any:
    """Run ``connect``; a server that is not running (or refuses the token) is a usage error (exit 2)."""
    from fazhi_ner.errors import ServerError
    from fazhi_ner.tagging.errors import BackendUnavailable

    try:
        return connect()
    except ServerError as exc:
        raise BackendUnavailable(str(exc)) from None


def _load_push_model(name: str):  # noqa: ANN202
    from fazhi_ner.tagging.models import get_model

    return get_model(name, notify=lambda m: typer.echo(m, err=True))


def _model_tasks(documents: Sequence[Document], model, echo: Callable[[str], None]) -> list[dict[str, Any]]:  # noqa: ANN001
    """Import JSON for ``documents`` with the model's scored predictions, least confident task first."""
    from fazhi_ner.annotation.model_assist import model_task, predict_document, uncertainty_order

    version = model.version
    predictions = {doc.doc_id: predict_document(model, doc) for doc in documents}
    by_id = {doc.doc_id: doc for doc in documents}
    order = uncertainty_order(list(predictions.items()))
    for doc_id in order:
        score = predictions[doc_id].score
        echo(
            f"{doc_id}\ttask score {'-' if score is None else f'{score:.4f}'}\t{len(predictions[doc_id].spans)} span(s)"
        )
    return [model_task(by_id[d], predictions[d], version) for d in order]


@app.command("push")
def push(
    project_title: str = _TITLE,
    docs: list[str] | None = typer.Option(None, "--docs", help="Document ids to push (repeatable; default all)."),
    no_predictions: bool = typer.Option(False, "--no-predictions", help="Import without rule pre-annotations."),
    model: str | None = typer.Option(
        None, "--model", help="Pre-annotate with this baseline (scored; tasks least confident first) instead of rules."
    ),
    url: str | None = _URL,
    data_dir: Path | None = _DATA_DIR,
) -> None:
    """Create or find the project (by title) and import one task per document, with rule predictions.

    With --model NAME the predictions come from that model, with model_version, a score per span and per task,
    and new tasks are imported least confident first. Tasks already present (matched on data.doc_id) are left
    alone, so re-running never duplicates.
    """
    from fazhi_ner.annotation.workflow import push_documents
    from fazhi_ner.seeds import select_documents

    documents = select_documents(docs)
    client = _connect_or_exit2(lambda: _client(url, data_dir))
    loaded = _load_push_model(model) if model is not None and not no_predictions else None  # before any change
    build = None if loaded is None else (lambda new: _model_tasks(new, loaded, echo=typer.echo))
    result = push_documents(
        client, project_title, documents, None if no_predictions else rule_predictions, build_tasks=build
    )
    typer.echo(f"project {project_title!r} (id {result.project_id}, {'created' if result.created else 'found'})")
    typer.echo(f"imported {result.imported} task(s); {result.present} already present")


@app.command("pull")
def pull(
    project_title: str = _TITLE,
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default annotation/exports/<slug>.json)."),
    force: bool = typer.Option(
        False, "--force", help="Overwrite the output even when it holds more annotations than the new export."
    ),
    url: str | None = _URL,
    data_dir: Path | None = _DATA_DIR,
) -> None:
    """Export the project as Label Studio JSON (all tasks), sorted by doc_id with sorted keys, atomically.

    Never replaces an export file holding more annotations than the new one (exit 2) unless --force.
    """
    from fazhi_ner.annotation.client import export_json, require_project
    from fazhi_ner.annotation.export_file import write_export
    from fazhi_ner.annotation.tasks import project_slug
    from fazhi_ner.formats.labelstudio import write_tasks
    from fazhi_ner.paths import exports_dir

    client = _client(url, data_dir)
    project = require_project(client, project_title)
    tasks = export_json(client, project.id)
    target = out or exports_dir() / f"{project_slug(project_title)}.json"
    write_export(target, tasks, write_tasks(tasks), force=force)
    annotated = sum(1 for t in tasks if t.get("annotations"))
    typer.echo(f"wrote {target}: {len(tasks)} task(s), {annotated} with annotations")


@app.command("apply")
def apply(
    review_file: Path = typer.Argument(..., help="Review file (one document)."),
    project_title: str = _TITLE,
    url: str | None = _URL,
    data_dir: Path | None = _DATA_DIR,
) -> None:
    """Submit a review file's spans as this user's annotation of the document's task.

    Policy: one annotation per user per task; if this user already annotated the task, that annotation
    (the most recently updated one) is updated in place instead of adding a second one.
    """
    from fazhi_ner.annotation.client import require_project, submit_annotation
    from fazhi_ner.formats.review import parse_review, review_doc_id
    from fazhi_ner.seeds import get_document

    doc = get_document(review_doc_id(review_file))
    spans = parse_review(review_file, doc)
    client = _client(url, data_dir)
    project = require_project(client, project_title)
    done = submit_annotation(client, project.id, doc, spans)
    verb = "updated" if done.updated else "created"
    typer.echo(f"{verb} annotation {done.annotation_id} on task {done.task_id} ({doc.doc_id}): {len(spans)} span(s)")


@app.command("render")
def render(
    doc_id: str = typer.Argument(..., help="Document id."),
    source: str = typer.Option("rules", "--source", help="rules | export | gold"),
    export: Path | None = typer.Option(None, "--export", help="Export JSON (with --source export)."),
    gold_dir: Path | None = typer.Option(
        None, "--gold", help="Gold folder (with --source gold; default annotation/gold)."
    ),
    output: Path = typer.Option(..., "--out", "-o", help="Review file to write."),
) -> None:
    """Write a review file for a document from the rule predictions, an export's annotation, or the gold."""
    from fazhi_ner.annotation.workflow import review_spans
    from fazhi_ner.atomic import atomic_write_text
    from fazhi_ner.formats.review import render_document
    from fazhi_ner.seeds import get_document

    doc = get_document(doc_id)
    spans = review_spans(doc, source, export=export, gold_directory=gold_dir, predict=rule_predictions)
    atomic_write_text(output, render_document(doc, spans))
    typer.echo(f"wrote {output}: {len(spans)} span(s) from {source}")


def _convert(export: Path, out: Path, check: bool, force: bool = False) -> None:
    from fazhi_ner.annotation.convert import ExportInvalid, convert_export, write_gold_directory
    from fazhi_ner.formats.labelstudio import read_tasks
    from fazhi_ner.seeds import documents_by_id

    documents = documents_by_id()
    try:
        converted = convert_export(read_tasks(export), source=str(export), documents=documents)
    except ExportInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise
    if converted.utf16_converted:
        typer.echo(f"read UTF-16 offsets for: {', '.join(converted.utf16_converted)}")
    if check:
        write_gold_directory(converted, out, documents, check=True)
        typer.echo(f"{out} matches {export} ({len(converted.spans)} documents)")
        return
    write_gold_directory(converted, out, documents, force=force)
    total = sum(len(s) for s in converted.spans.values())
    typer.echo(f"wrote {len(converted.spans)} gold file(s), {total} spans, to {out}")
    missing = sorted(set(documents) - set(converted.spans))
    if missing:
        typer.echo(f"not in the export: {', '.join(missing)}")


_CONVERT_HELP = (
    "Convert a Label Studio JSON export into gold files (one <doc_id>.jsonl per task), validating everything "
    "first: every problem is printed on its own line and nothing is written. Cancelled annotations are ignored; "
    "a task without another annotation is an error; with several annotations the ground_truth one is used, else "
    "the most recently updated one. Offsets read as UTF-16 code units are converted when only that reading "
    "matches the text. The output folder is replaced whole (atomic swap); an export that would delete gold files "
    "(empty, or lacking documents the folder has) is refused with exit 2 unless --force says it replaces the whole gold."
)


@app.command(
    "convert", help=_CONVERT_HELP, short_help="Export JSON -> validated gold files; nothing written on any problem."
)
def convert(
    export: Path = typer.Argument(..., help="Label Studio JSON export."),
    out: Path | None = typer.Option(None, "--out", help="Gold folder (default annotation/gold)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit non-zero when the gold folder differs."),
    force: bool = _FORCE_CONVERT,
) -> None:
    from fazhi_ner.paths import gold_dir

    _convert(export, out or gold_dir(), check, force)


@app.command("convert-all")
def convert_all(
    check: bool = typer.Option(False, "--check", help="Compare instead of writing."), force: bool = _FORCE_CONVERT
) -> None:
    """Convert the committed gold export annotation/exports/gold.json into annotation/gold/."""
    from fazhi_ner.paths import exports_dir, gold_dir

    _convert(exports_dir() / "gold.json", gold_dir(), check, force)
