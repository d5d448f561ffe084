# Two commands set everything up on a fresh machine: `make run` (the demo) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint format install dev bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/workbench demo

# The gates (configuration in pyproject.toml): lint, format, types over the whole package, the
# layering and dependency contracts. `make test` runs them first, then the suite; CI runs `make test`.
LINTED := workbench tests bench scripts
TYPE_PENDING ?=

lint: dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python scripts/typecheck.py $(TYPE_PENDING)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_layering.py tests/test_dependencies.py

# Applies the formatter and the safe lint fixes (then look at the diff).
format: dev
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

test: dev lint
	$(BIN)/python -m pytest -n auto -p no:cacheprovider $(PYTEST_ARGS)

# One run of every bench and the README's Performance table (bench/results/<UTC>.json and .md);
# a part: make bench BENCH="--only convert mentions" (or --skip NAME ...)
bench: dev
	$(BIN)/python bench/run_all.py $(BENCH)

screenshots: dev
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
