"""Shared pytest set-up: run every test from the repository root and keep HF caches out of $HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fazhi_ner.numeric import pin

pin()  # as every `fazhi` command does, before any test imports torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _repo_root_and_offline() -> None:
    os.chdir(ROOT)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
