# Sciatrack: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The number the demo's emergency advice tells people to call: 911 (North America) unless you give another,
# e.g. `make run SCIATRACK_EMERGENCY_NUMBER=112`. Set for `make run` only: tests and real servers set their own.
SCIATRACK_EMERGENCY_NUMBER ?= 911

.PHONY: install run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: export SCIATRACK_EMERGENCY_NUMBER := $(SCIATRACK_EMERGENCY_NUMBER)
run: install
	@echo "== the demo's emergency advice says to call $(SCIATRACK_EMERGENCY_NUMBER) (for another number: make run SCIATRACK_EMERGENCY_NUMBER=...)"
	$(BIN)/sciatrack migrate --verbosity 0
	$(BIN)/sciatrack demo
	$(BIN)/sciatrack serve --host $(HOST) --port $(PORT)

test: install
	bash scripts/run-tests

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: install
	bash scripts/run-bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
