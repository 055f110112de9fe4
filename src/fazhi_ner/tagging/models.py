"""Which model tags a user's report, and how it gets trained.

Decision (issue 13): **train on first use into the model cache**, not ship a model as package data.
A trained model is a build output here (``<cache>/<name>/``, the same folder `fazhi baselines train NAME`
writes; the cache is ``fazhi_ner.paths.models_cache_dir``: ``$FAZHI_MODELS_DIR``, else the checkout's
git-ignored ``build/models``, else ``~/.cache/fazhi-ner/models``, never the caller's working directory), so the
first ``fazhi tag`` in a fresh clone trains the default model on the committed gold (train split, model
selection on the validation report) with a progress display, and every later call loads it. Shipping a binary would pin one model; this way any
registered baseline works the same way and the integrator switches the default by changing
:data:`DEFAULT_TAG_MODEL` only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from fazhi_ner.errors import BaselineError
from fazhi_ner.tagging.errors import ModelNotReady

# The one place that names the default model of `fazhi tag`, `annotate push --model` and `ml-backend`:
# the learned model with the best leave-one-report-out F1 (`fazhi baselines best --learned-only`; a test keeps
# the two equal). It reads the rule tagger's output, so it inherits the rules' advantage on these five reports.
DEFAULT_TAG_MODEL = "crf-rules"

Notify = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _resolve(name: str, models_dir: Path | None):  # noqa: ANN202 - a ModelHandle (heavy import kept lazy)
    from fazhi_ner.baselines.registry import BASELINE_NAMES
    from fazhi_ner.baselines.resolve import resolve

    if name not in BASELINE_NAMES:
        raise ModelNotReady(f"--model: unknown model {name!r}; expected one of {', '.join(BASELINE_NAMES)}")
    return resolve(name, models_dir=models_dir)


def train_with_progress(handle, notify: Notify = _quiet) -> Path:  # noqa: ANN001 - a ModelHandle
    """Train the model of ``handle`` on the train split (dev = validation report) into the cache, showing progress
    on stderr."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    name = handle.name
    console = Console(stderr=True)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task(f"training {name} on first use (once; cached in {handle.directory})", total=None)

        def log(message: str) -> None:
            progress.update(task, description=f"training {name}: {message}")

        try:
            path = handle.train(log=log)
        except BaselineError as exc:
            raise ModelNotReady(f"model {name!r} is not trained and could not be trained here: {exc}") from None
    notify(f"trained {name} in {time.perf_counter() - started:.1f} s; saved {path}")
    return path


def get_model(name: str | None = None, *, models_dir: Path | None = None, train: bool = True,
              notify: Notify = _quiet):  # fmt: skip  # noqa: ANN201 - a Baseline (heavy import kept lazy)
    """The trained model ``name`` (default :data:`DEFAULT_TAG_MODEL`); trains it on first use unless ``train=False``.

    ``models_dir`` defaults to the model cache (``fazhi_ner.paths.models_cache_dir``). The name is resolved once;
    the returned model predicts and scores itself (``predict_scored``) and names its own ``version``.
    """
    handle = _resolve(name or DEFAULT_TAG_MODEL, models_dir)
    if not handle.trained:
        if not train:
            raise ModelNotReady(
                f"model {handle.name!r} is not trained ({handle.directory / 'meta.json'} missing); "
                f"run `fazhi baselines train {handle.name}` or drop --no-train"
            )
        train_with_progress(handle, notify)
    try:
        return handle.load()
    except BaselineError as exc:
        raise ModelNotReady(f"model {handle.name!r}: {exc}") from None
