# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LINT_STAMP := $(VENV)/.lint-installed

.PHONY: install system demo test test-fast lint bench clean

install: $(STAMP) system

# torch==2.13.0 (CPU) goes in first: argostranslate -> stanza -> torch would otherwise pull a CUDA build of several GB.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,dask,lint,bench]'
	touch $@

# `make lint` needs only the lint extra (ruff, mypy), read from pyproject.toml: no models, no Debian packages.
$(LINT_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $$($(PY) scripts/extra.py lint)
	touch $@

# Debian packages: Apertium (bg->mk->en fallback translator), OmegaT and Chromium (output tests).
system:
	@bash scripts/install-system-packages.sh

demo: install
	$(PY) -m pipeline align tests/fixtures/example/plovdiv-bg.txt tests/fixtures/example/plovdiv-en.txt -o output/demo

test: install
	$(PY) -m pytest -q

# The quick tests only (no models, no external programs): seconds, for the edit-run loop.
test-fast: install
	$(PY) -m pytest -q -m "not slow"

# ruff (style, imports, likely bugs; and the formatting, which `ruff format` fixes) and mypy (types),
# all configured in pyproject.toml.
lint: $(LINT_STAMP)
	$(VENV)/bin/ruff check pipeline tests scripts
	$(VENV)/bin/ruff format --check pipeline tests scripts
	$(VENV)/bin/mypy

bench: install
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
