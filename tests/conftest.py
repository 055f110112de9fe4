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


@pytest.fixture(scope="session")
def _synthetic_card_parts() -> dict[str, object]:
    """What every card's synthetic section reads from the committed corpus, computed once per session."""
    from fazhi_ner import synthetic
    from fazhi_ner.dataset import synthetic_section

    return {"links": synthetic_section._links(), "overlap": {}, "seed_overlap": synthetic.seed_overlap}


@pytest.fixture
def card_from_committed_synthetic(_synthetic_card_parts: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt-in for tests that build many dataset cards in tmp folders: the synthetic section's link coverage and
    seed overlap (pure functions of the committed synthetic corpus and seeds, ~2 s a card) are computed once.
    The real `dataset build --check` (test_tag_forms, `make check`) still computes them itself."""
    from fazhi_ner import synthetic
    from fazhi_ner.dataset import synthetic_section

    cache: dict = _synthetic_card_parts["overlap"]  # type: ignore[assignment]
    compute = _synthetic_card_parts["seed_overlap"]

    def seed_overlap(texts, seeds, window):  # noqa: ANN001, ANN202 - same signature as synthetic.seed_overlap
        key = (tuple(texts), tuple(seeds), window)
        if key not in cache:
            cache[key] = compute(texts, seeds, window)  # type: ignore[operator]
        return cache[key]

    monkeypatch.setattr(synthetic_section, "_links", lambda: _synthetic_card_parts["links"])
    monkeypatch.setattr(synthetic, "seed_overlap", seed_overlap)
