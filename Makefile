# 湖北省中小企业运行监测 — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
SVENV := .venv-superset
SME_HOME ?= $(CURDIR)/var
export SME_HOME
export DAGSTER_HOME ?= $(SME_HOME)/dagster
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
BIN := $(VENV)/bin
SME := $(BIN)/sme-monitor

.PHONY: setup demo run serve test test-fast lint lint-sql bench reset lock help

help:
	@echo "make demo   — set up, generate sample data (if the inbox is empty), run the pipeline, serve the boards"
	@echo "make test   — the whole test suite (unit, integration, Superset + browser)"
	@echo "make run    — one pipeline run on \$$SME_HOME ($(SME_HOME))"
	@echo "make serve  — Dagster UI, Superset and dbt docs on 127.0.0.1"
	@echo "make bench  — province-scale benchmark (long)"
	@echo "make reset  — delete all state under \$$SME_HOME"

setup: $(VENV)/.installed $(SVENV)/.installed

$(VENV)/.installed: requirements/pipeline.lock.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/pipeline.lock.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(SVENV)/.installed: requirements/superset.lock.txt
	test -x $(SVENV)/bin/python || $(PY) -m venv $(SVENV)
	$(SVENV)/bin/pip install -q --upgrade pip
	$(SVENV)/bin/pip install -q -r requirements/superset.lock.txt
	touch $@

# Re-resolve the lock files from the *.in files (needs the registry; commit the result).
lock:
	rm -rf /tmp/sme-lock-p /tmp/sme-lock-s
	$(PY) -m venv /tmp/sme-lock-p && /tmp/sme-lock-p/bin/pip install -q -r requirements/pipeline.in
	/tmp/sme-lock-p/bin/pip freeze --exclude-editable | grep -v '^sme-monitor' > requirements/pipeline.lock.txt
	$(PY) -m venv /tmp/sme-lock-s && /tmp/sme-lock-s/bin/pip install -q -r requirements/superset.in
	/tmp/sme-lock-s/bin/pip freeze > requirements/superset.lock.txt

demo: setup
	@if [ -z "$$(find $(SME_HOME)/inbox $(SME_HOME)/archive -type f 2>/dev/null | head -1)" ]; then \
	  $(SME) sample --preset demo; fi
	$(SME) run
	./scripts/serve.sh --print-credentials

run: setup
	$(SME) run

serve: setup
	./scripts/serve.sh

# The lint gate runs first: ruff (lint + format) and the SQL lint; then every test.
# PYTEST_ARGS: extra pytest arguments, e.g. `make test PYTEST_ARGS=--durations=30`.
test: lint
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The unit layer only (tests/unit/, marked `unit` by its conftest.py): no pipeline run, no server; under a minute.
test-fast: setup
	$(BIN)/pytest -q -p no:cacheprovider -m unit $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory lint-sql

# SQL lint of the dbt models and tests (rules and templater in dbt_project/.sqlfluff; ~20–30 s on 2 cores).
SQLFLUFF ?= $(CURDIR)/$(BIN)/sqlfluff
lint-sql: setup
	cd dbt_project && $(SQLFLUFF) lint models tests --processes 2

bench: setup
	$(BIN)/python -m bench.run

reset:
	rm -rf $(SME_HOME)
