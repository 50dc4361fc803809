# The two set-up commands: `make run` and `make test`. Both create .venv with pip on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip
EXTRAS := bot,st,pg,dev

.PHONY: run test lint typecheck bench eval clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt "torch==2.13.0"
	$(PIP) install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m scripts.run_main

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy knowledge zi_core zi_app bot zi_cli
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy knowledge zi_core zi_app bot zi_cli

bench: $(STAMP)
	$(BIN)/python scripts/bench_retrieval.py

eval: $(STAMP)
	$(BIN)/zi kb eval --index data/eval-index --qa ../shared/eval/dev-qa.yaml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
