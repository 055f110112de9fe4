# One command sets everything up and runs the main job; one runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
FAZHI := $(VENV)/bin/fazhi
PYTHON ?= python3

.PHONY: install reproduce test test-quick lint check bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[annotate,dev]'
	touch $@

install: $(VENV)/.installed

## Build the gold and the dataset, train and evaluate every baseline, write the leaderboard.
reproduce: install
	$(FAZHI) annotate convert-all
	$(FAZHI) links check
	$(FAZHI) links agreement
	$(FAZHI) links evaluate
	$(FAZHI) table build
	$(FAZHI) dataset build
	$(FAZHI) baselines reproduce
	$(FAZHI) eval leaderboard

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

## Fail when any committed generated file is stale.
check: install
	$(FAZHI) schema check
	$(FAZHI) links check
	$(FAZHI) links agreement --check
	$(FAZHI) links evaluate --check
	$(FAZHI) table build --check
	$(FAZHI) dataset build --check
	$(FAZHI) eval leaderboard --check

## Benchmarks: print time and memory figures (not part of the tests).
bench: install
	$(PY) benchmarks/bench_scale.py
	$(PY) benchmarks/bench_evaluation.py
	$(PY) benchmarks/bench_baselines.py
	$(PY) benchmarks/bench_links.py
	$(PY) benchmarks/bench_tag.py

clean:
	rm -rf build .pytest_cache .ruff_cache
