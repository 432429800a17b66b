# The two commands a newcomer needs: `make run` and `make test`. `make ui` opens the Dagster UI.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test reliability bench ui install system-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

system-deps:
	@bash scripts/system-deps

## run: the main job on the embedded defaults, from an empty landing directory to the reports
run: install system-deps
	$(BIN)/riskpack run

## test: the whole test suite (unit, SQL/loader, Dagster materialisation, reports)
test: install system-deps
	$(BIN)/python -m pytest -n 2 -q

## reliability: the fault-injection suite alone, with its summary table (LONG=1: many more kills);
## `make test` runs it too
reliability: install system-deps
	$(BIN)/python -m pytest -n 2 -q tests/reliability $(if $(LONG),--long)

## bench: the benchmark (not part of `make test`): floor vs pipeline, incremental months, render; ARGS="--large"
bench: install system-deps
	$(BIN)/python -m bench $(ARGS)

## ui: the Dagster UI on the same instance as `make run` (http://127.0.0.1:3000)
ui: install
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

## clean: remove the demo data, warehouse, reports and Dagster run history (keeps the venv)
clean:
	rm -rf data
	find .dagster_home -mindepth 1 ! -name dagster.yaml -exec rm -rf {} +
