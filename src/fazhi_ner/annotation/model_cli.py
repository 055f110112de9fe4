"""Model-in-the-loop annotation commands: `annotate ml-backend`, `annotate active-learning`, and push helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer

from fazhi_ner.errors import ServerError
from fazhi_ner.seeds import Document
from fazhi_ner.tagging.errors import BackendUnavailable


def connect_or_exit2(connect: Callable[[], Any]) -> Any:
    """Run ``connect``; a server that is not running (or refuses the token) is a usage error (exit 2)."""
    try:
        return connect()
    except ServerError as exc:
        raise BackendUnavailable(str(exc)) from None


def load_push_model(name: str):  # noqa: ANN201
    from fazhi_ner.tagging.models import get_model

    return get_model(name, notify=lambda m: typer.echo(m, err=True))


def model_tasks(documents: Sequence[Document], model, echo: Callable[[str], None]) -> list[dict[str, Any]]:  # noqa: ANN001
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


def ml_backend(
    model: str | None = typer.Option(None, "--model", help="Registered baseline (default: DEFAULT_TAG_MODEL)."),
    port: int = typer.Option(9090, "--port", help="Port on 127.0.0.1."),
    no_train: bool = typer.Option(False, "--no-train", help="Fail instead of training an untrained model."),
) -> None:
    """Serve a model over Label Studio's ML backend protocol (/health, /setup, /predict) on 127.0.0.1.

    Connect it in Label Studio (project settings > Model, URL http://127.0.0.1:PORT) or with
    POST /api/ml/ {"url": ..., "project": ID}. Label Studio must allow a local backend: `fazhi annotate serve`
    starts it with ML_BLOCK_LOCAL_IP=false.
    """
    from fazhi_ner.annotation.ml_backend import make_server
    from fazhi_ner.tagging.models import get_model

    loaded = get_model(model, train=not no_train, notify=lambda m: typer.echo(m, err=True))
    server = make_server(loaded, port)
    typer.echo(f"ML backend for {loaded.name} ({server.model_version}) at {server.url}; Ctrl-C stops it")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopping the ML backend")
    finally:
        server.server_close()


def active_learning(
    model: str = typer.Option("crf", "--model", help="A trainable baseline to simulate with."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Report (default eval/ACTIVE_LEARNING.md)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; fail if the committed report is stale."),
    simulate: bool = typer.Option(
        True, "--simulate/--no-simulate",
        help="With --check: re-run the simulation (minutes), or only check that the committed JSON has the "
        "result's shape and the report is its rendering.",
    ),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Parallel simulation runs."),
) -> None:
    """Simulate annotating in uncertainty order vs random order on the LODO folds; write the curve report."""
    from fazhi_ner.annotation.active_learning import check_committed, run_and_write

    if check and not simulate:
        path, table = check_committed(out)
    else:
        path, table = run_and_write(model, out=out, check=check, jobs=jobs, log=lambda m: typer.echo(m, err=True))
    typer.echo(table, nl=False)
    typer.echo(f"{'checked' if check else 'wrote'} {path}")


def register(group: typer.Typer) -> None:
    group.command("ml-backend")(ml_backend)
    group.command("active-learning")(active_learning)
