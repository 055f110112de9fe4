"""Model-in-the-loop annotation commands: `annotate ml-backend`, `annotate active-learning`."""

from __future__ import annotations

from pathlib import Path

import typer


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
