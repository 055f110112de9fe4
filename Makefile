# One command sets everything up and runs the main job; one runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
FAZHI := $(VENV)/bin/fazhi
PYTHON ?= python3

.PHONY: install reproduce test test-quick lint check check-reproduced bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[annotate,dev]'
	touch $@

install: $(VENV)/.installed

## Rebuild every generated file in dependency order: the steps, their outputs and their checks are one table,
## fazhi_ner.pipeline (gold -> links -> baselines -> extraction -> leaderboard -> dataset + card); `fazhi reproduce
## --step NAME` reruns one. Studies too long for reproduce (synthetic-study, active-learning) are only checked.
reproduce: install
	$(FAZHI) reproduce

## The full test suite (slow integration tests included: Label Studio server, training, browser).
test: install
	$(PY) -m pytest -n 2 --dist loadgroup

## The quick set for development.
test-quick: install
	$(PY) -m pytest -m "not slow" -n 2

## ruff, and the import layering (core / formats / rules / stages / cli) in pyproject.toml [tool.importlinter].
lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/lint-imports

## Fail when any committed generated file is stale: every step of fazhi_ner.pipeline, writing nothing.
check: install
	$(FAZHI) check

## After `make reproduce` on a fresh clone: the rebuilt results match the committed ones within the tolerance
## recorded in eval/baselines.json (timing fields are never compared).
check-reproduced: install
	$(FAZHI) baselines check --against-committed

## Benchmarks: print time and memory figures (not part of the tests).
bench: install
	$(PY) benchmarks/bench_scale.py
	$(PY) benchmarks/bench_evaluation.py
	$(PY) benchmarks/bench_baselines.py
	$(PY) benchmarks/bench_links.py
	$(PY) benchmarks/bench_tag.py
	$(PY) benchmarks/bench_extract.py

clean:
	rm -rf build .pytest_cache .ruff_cache
