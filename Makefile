# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install system demo test lint bench clean

install: $(STAMP) system

# torch==2.13.0 (CPU) goes in first: argostranslate -> stanza -> torch would otherwise pull a CUDA build of several GB.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,dask,lint]'
	touch $@

# Debian packages: Apertium (bg->mk->en fallback translator), OmegaT and Chromium (output tests).
system:
	@bash scripts/install-system-packages.sh

demo: install
	$(PY) -m pipeline align tests/fixtures/example/plovdiv-bg.txt tests/fixtures/example/plovdiv-en.txt -o output/demo

test: install
	$(PY) -m pytest -q

# ruff (style, imports, likely bugs; and the formatting, which `ruff format` fixes) and mypy (types),
# all configured in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check pipeline tests scripts
	$(VENV)/bin/ruff format --check pipeline tests scripts
	$(VENV)/bin/mypy

bench: install
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
