"""Which model tags a user's report, and how it gets trained.

Decision (issue 13): **train on first use into the build cache**, not ship a model as package data.
A trained model is a build output here (``build/models/<name>/``, git-ignored, the same folder
`fazhi baselines train NAME` writes), so the first ``fazhi tag`` in a fresh clone trains the default
model on the committed gold (train split, model selection on the validation report) with a progress
display, and every later call loads it. Shipping a binary would pin one model; this way any
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


def model_path(name: str, models_dir: Path | None = None) -> Path:
    from fazhi_ner.baselines.protocol import model_dir

    return model_dir(name, root=models_dir)


def is_trained(name: str, models_dir: Path | None = None) -> bool:
    return (model_path(name, models_dir) / "meta.json").is_file()


def _check_name(name: str) -> None:
    from fazhi_ner.baselines.registry import BASELINE_NAMES

    if name not in BASELINE_NAMES:
        raise ModelNotReady(f"--model: unknown model {name!r}; expected one of {', '.join(BASELINE_NAMES)}")


def train_with_progress(name: str, models_dir: Path | None = None, notify: Notify = _quiet) -> Path:
    """Train ``name`` on the train split (dev = validation report) into the cache, showing progress on stderr."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from fazhi_ner.baselines import protocol

    console = Console(stderr=True)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task(f"training {name} on first use (once; cached in build/models/{name})", total=None)

        def log(message: str) -> None:
            progress.update(task, description=f"training {name}: {message}")

        try:
            path = protocol.train(name, root=models_dir, log=log)
        except BaselineError as exc:
            raise ModelNotReady(f"model {name!r} is not trained and could not be trained here: {exc}") from None
    notify(f"trained {name} in {time.perf_counter() - started:.1f} s; saved {path}")
    return path


def get_model(name: str | None = None, *, models_dir: Path | None = None, train: bool = True,
              notify: Notify = _quiet):  # fmt: skip  # noqa: ANN201 - a Baseline (heavy import kept lazy)
    """The trained model ``name`` (default :data:`DEFAULT_TAG_MODEL`); trains it on first use unless ``train=False``."""
    from fazhi_ner.baselines.protocol import load_or_create
    from fazhi_ner.baselines.registry import baseline_class

    name = name or DEFAULT_TAG_MODEL
    _check_name(name)
    if baseline_class(name).trainable and not is_trained(name, models_dir):
        if not train:
            raise ModelNotReady(
                f"model {name!r} is not trained ({model_path(name, models_dir) / 'meta.json'} missing); "
                f"run `fazhi baselines train {name}` or drop --no-train"
            )
        train_with_progress(name, models_dir, notify)
    try:
        return load_or_create(name, root=models_dir)
    except BaselineError as exc:
        raise ModelNotReady(f"model {name!r}: {exc}") from None


def model_version(model) -> str:  # noqa: ANN001
    """A short version string for predictions: name plus what training chose (so versions differ when models do)."""
    import hashlib
    import json

    info = json.dumps(getattr(model, "info", {}) or {}, sort_keys=True, ensure_ascii=False)
    return f"{model.name}-{hashlib.sha256(info.encode('utf-8')).hexdigest()[:8]}"
