# Two commands for a fresh machine: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Leaflet and the plugin assets the browser tests serve locally (the maps load offline).
NODE_ASSETS := tests/browser/node_modules/.package-lock.json

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,dask,cube]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/territory demo --out out

$(NODE_ASSETS): tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

test: $(STAMP) $(NODE_ASSETS)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/mypy  # configured in pyproject.toml: src/territory, --check-untyped-defs

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache
