VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install generate check docs test test-fast bench

install:
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install -e '.[dev]'

generate:
	$(BIN)/typed-semconv generate

check:
	$(BIN)/ruff check generator generated tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy --strict generator
	cd generated && ../$(BIN)/mypy --strict gateway_semconv
	$(BIN)/typed-semconv generate --check

docs:
	$(PYTHON) -m typed_semconv.diagnostics.reference docs/diagnostics.md
	$(PYTHON) -m typed_semconv.cli.reference README.md

# Both cores (pytest-xdist): the suite takes about half the time it takes on one.
test:
	$(BIN)/pytest -n 2

# The edit loop: everything but the tests marked slow, on both cores, each property search on a
# quarter of its examples.
test-fast:
	$(BIN)/pytest -q -m "not slow" -n 2 --hypothesis-profile=fast

bench:
	$(PYTHON) benchmarks/run.py
