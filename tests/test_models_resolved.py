"""Issue 23 item 2: a model is resolved once and scores itself; models are cached, never in the working directory;
no library module imports a CLI module.

A tiny CRF (40 training sentences) is trained once per session into a temporary model cache, so these tests do
not depend on (or write) the checkout's build/models.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

import fazhi_ner
from fazhi_ner import paths
from fazhi_ner.baselines import protocol, registry
from fazhi_ner.baselines.base import Baseline
from fazhi_ner.baselines.registry import BASELINE_NAMES, create
from fazhi_ner.rules.agency_prefix import split_agency_prefix
from fazhi_ner.tagging.models import get_model

ROOT = Path(__file__).resolve().parents[1]
TEXT = "县司法局开展会前学法21次。县审计局完成审计项目23个,合格率99.3%。"
MARKER = "tiny-fixture"


@pytest.fixture(scope="session")
def tiny_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model cache holding a CRF trained on 40 sentences, marked so a test can tell it was the one loaded."""
    import dataclasses

    train, dev = protocol.main_sets()
    model = create("crf")
    model.config = dataclasses.replace(model.config, params={**model.config.params, "grid": {"c1": [0.1], "c2": [0.01]}})
    model.fit(train[:40], dev[:10])
    model.info["fixture"] = MARKER
    cache = tmp_path_factory.mktemp("models")
    model.save(cache / "crf")
    return cache


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty working directory outside the checkout, with the cwd-based root look-up forgotten."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv(paths.MODELS_ENV, raising=False)
    paths.project_root.cache_clear()
    yield cwd
    paths.project_root.cache_clear()


# ---------------------------------------------------------------- a model is resolved once


class _Counting(dict):
    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.lookups = 0

    def __getitem__(self, key: str) -> str:
        self.lookups += 1
        return super().__getitem__(key)


@pytest.mark.parametrize("name", ["rules", "crf"])
def test_get_model_looks_the_name_up_in_the_registry_once(name: str, tiny_cache: Path, monkeypatch):
    counting = _Counting(registry._CLASSES)
    monkeypatch.setattr(registry, "_CLASSES", counting)
    model = get_model(name, models_dir=tiny_cache, train=False)
    assert model.name == name
    assert counting.lookups == 1


def test_every_registered_class_scores_itself():
    """No caller branches on the model type: each class has ``score`` (its own or the documented fallback)."""
    for name in BASELINE_NAMES:
        cls = registry.baseline_class(name)
        assert issubclass(cls, Baseline) and callable(cls.score) and callable(cls.predict_scored)


def test_crf_scores_are_its_marginals_over_the_spans_predict_gives(tiny_cache: Path):
    model = get_model("crf", models_dir=tiny_cache, train=False)
    sentences = [TEXT[:14], TEXT[14:]]
    (first, second) = model.predict_scored(sentences)
    for result, text, spans in zip((first, second), sentences, model.predict(sentences), strict=True):
        assert list(result.spans) == split_agency_prefix(spans, text)
        assert all(s is not None and 0 < s <= 1 for s in result.span_scores)
        assert result.score is not None and 0 < result.score <= min(result.span_scores, default=1.0)


def test_the_rule_tagger_falls_back_to_no_scores():
    (result,) = create("rules").predict_scored([TEXT])
    assert result.spans and set(result.span_scores) == {None} and result.score is None


def test_no_module_outside_the_crf_reaches_into_its_tagger():
    """Scoring lives in the model class: no other module touches the CRF's private tagger or its marginals."""
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src" / "fazhi_ner").rglob("*.py")
        if p.name != "crf_model.py" and any(t in p.read_text(encoding="utf-8") for t in ("._crf", ".marginal("))
    ]
    assert offenders == []


# ---------------------------------------------------------------- models are cached, never in the working directory


def test_the_model_cache_is_the_env_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(paths.MODELS_ENV, str(tmp_path / "m"))
    assert paths.models_cache_dir() == (tmp_path / "m").resolve()
    assert protocol.models_root() == (tmp_path / "m").resolve()


def test_outside_a_checkout_the_cache_is_per_user(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(paths.MODELS_ENV, raising=False)
    monkeypatch.delenv("FAZHI_ROOT", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(paths, "package_checkout", lambda: None)
    assert paths.models_cache_dir() == tmp_path / "cache" / "fazhi-ner" / "models"


def test_a_working_directory_that_looks_like_a_checkout_is_not_the_cache(elsewhere: Path):
    (elsewhere / "seeds").mkdir()
    (elsewhere / "seeds" / "manifest.jsonl").write_text("", encoding="utf-8")
    assert not protocol.models_root().is_relative_to(elsewhere)
    assert protocol.models_root() == ROOT / "build" / "models"


def test_tag_from_another_directory_uses_the_cache_and_writes_nothing_there(elsewhere: Path, tiny_cache: Path,
                                                                            monkeypatch):  # fmt: skip
    monkeypatch.setenv(paths.MODELS_ENV, str(tiny_cache))
    assert get_model("crf", train=False).info["fixture"] == MARKER  # the env cache, not build/models
    spans = fazhi_ner.tag(TEXT, model="crf")
    assert spans and all(TEXT[s.start : s.end] == s.text for s in spans)
    assert list(elsewhere.iterdir()) == []


def test_tag_takes_an_explicit_models_dir(elsewhere: Path, tiny_cache: Path):
    model = get_model("crf", models_dir=tiny_cache, train=False)
    assert fazhi_ner.tag(TEXT, model="crf", models_dir=tiny_cache) == fazhi_ner.tag(TEXT, model=model)
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- no library module imports a CLI module

CLI_IMPORTERS = {"fazhi_ner.cli", "fazhi_ner.__main__"}  # the root mounts every command (fazhi_ner.cli.COMMANDS)


def _is_cli(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "cli" or last.endswith("_cli")


def test_no_library_module_imports_a_cli_module():
    graph = grimp.build_graph("fazhi_ner")
    cli_modules = {m for m in graph.modules if _is_cli(m)}
    assert "fazhi_ner.annotation.model_cli" in cli_modules
    offending = sorted(
        f"{importer} -> {module}"
        for module in cli_modules
        for importer in graph.find_modules_that_directly_import(module)
        if importer not in CLI_IMPORTERS
    )
    assert offending == []


def test_tagging_does_not_import_the_annotation_stage():
    graph = grimp.build_graph("fazhi_ner")
    tagging = {m for m in graph.modules if m.startswith("fazhi_ner.tagging")}
    assert not [
        (m, i) for m in tagging for i in graph.find_modules_directly_imported_by(m) if i.startswith("fazhi_ner.annotation")
    ]


def test_the_cli_contract_lists_every_cli_module():
    """import-linter cannot match part of a module name, so pyproject lists the CLI modules; keep it complete."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["type"] == "protected"]
    listed = set(contract["protected_modules"])
    graph = grimp.build_graph("fazhi_ner")
    for module in (m for m in graph.modules if _is_cli(m)):
        parts = module.split(".")
        wildcard = len(parts) == 3 and parts[2] == "cli" and "fazhi_ner.*.cli" in listed
        assert module in listed or wildcard, module
    assert set(contract["allowed_importers"]) == CLI_IMPORTERS
