# lagesbild — two commands on a fresh Debian machine with Python 3.11:
#   make demo   installs everything and runs the Värnamo demo, writing maps into maps/
#   make test   installs everything (also Chromium and PostgreSQL/PostGIS for the real tests), lints (ruff,
#               mypy) and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install system clean bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

system:
	bash scripts/setup-system.sh

demo: $(BIN)/.installed
	$(BIN)/geo demo

lint: $(BIN)/.installed
	$(BIN)/ruff check geo tests
	$(BIN)/ruff format --check geo tests
	$(BIN)/mypy

test: $(BIN)/.installed system lint
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache maps/*.html maps/*.png
