"""Where the repository's data folders are, so commands work from any directory inside a checkout."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from fazhi_ner.errors import FaZhiError

_MARKER = Path("seeds") / "manifest.jsonl"


@cache
def project_root() -> Path:
    """The checkout root: ``$FAZHI_ROOT``, else the nearest parent of cwd or of this file holding seeds/."""
    env = os.environ.get("FAZHI_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if (candidate / _MARKER).is_file():
                return candidate
    raise FaZhiError(
        f"cannot find the project root: no {_MARKER} above {Path.cwd()}; run inside a checkout or set FAZHI_ROOT"
    )


def seeds_dir() -> Path:
    return project_root() / "seeds"


def user_reports_dir() -> Path:
    """Reports added with `fazhi ingest` (same shape as seeds/); extra training documents, never test."""
    return project_root() / "user_reports"


def annotation_dir() -> Path:
    return project_root() / "annotation"


def gold_dir() -> Path:
    return annotation_dir() / "gold"


def exports_dir() -> Path:
    return annotation_dir() / "exports"


def dataset_dir() -> Path:
    return project_root() / "dataset"


def eval_dir() -> Path:
    return project_root() / "eval"


def baselines_dir() -> Path:
    return project_root() / "baselines"


def build_dir() -> Path:
    """Ignored folder for trained models and other rebuildable outputs."""
    return project_root() / "build"


MODELS_ENV = "FAZHI_MODELS_DIR"


def package_checkout() -> Path | None:
    """The checkout this code runs from: ``$FAZHI_ROOT``, else the nearest parent of this file holding seeds/.

    Never searched from the working directory: a library call must not pick its write location from the
    caller's folder (issue 23). None for an installed wheel.
    """
    env = os.environ.get("FAZHI_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    return next((c for c in here.parents if (c / _MARKER).is_file()), None)


def models_cache_dir() -> Path:
    """Where trained models are cached: ``$FAZHI_MODELS_DIR``, else the checkout's ignored ``build/models``,
    else the per-user cache (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``fazhi-ner/models``)."""
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env).expanduser().resolve()
    checkout = package_checkout()
    if checkout is not None:
        return checkout / "build" / "models"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "fazhi-ner" / "models"
