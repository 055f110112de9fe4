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

## Build the gold, train and evaluate every baseline, write the leaderboard, then the dataset and its card.
## Order = dependencies: gold -> links -> baselines (read the gold) -> extraction (reads the baselines' LODO fold
## files and the link gold) -> leaderboard (reads the submissions the baselines
## wrote) -> dataset + card (the card shows the leaderboard, so it is built last).
reproduce: install
	$(FAZHI) annotate convert-all
	$(FAZHI) synthetic convert
	$(FAZHI) synthetic agreement
	$(FAZHI) links check
	$(FAZHI) links agreement
	$(FAZHI) links evaluate
	$(FAZHI) table build
	$(FAZHI) baselines reproduce
	$(FAZHI) extraction evaluate
	$(FAZHI) eval leaderboard
	$(FAZHI) dataset build

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
	$(FAZHI) synthetic convert --check
	$(FAZHI) synthetic agreement --check
	$(FAZHI) synthetic overlap
	$(FAZHI) links check
	$(FAZHI) links agreement --check
	$(FAZHI) links evaluate --check
	$(FAZHI) table build --check
	$(FAZHI) baselines check
	$(FAZHI) baselines weights --check
	$(FAZHI) baselines synthetic-study --check
	$(FAZHI) extraction evaluate --check
	$(FAZHI) eval leaderboard --check
	$(FAZHI) dataset build --check

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
