# Task Force e-Guide — the commands in README.md. CI runs `make test` (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHIM   := overrides/assets/vendor/iframe-worker-shim.js
# Java runs the Nu HTML Checker (vnu-jar from npm) in tests/test_html_validity.py.
APT_PACKAGES := chromium fonts-liberation default-jre-headless

# Zensical (docs/contribute/moving-to-zensical.md) in its own environment: never .venv.
ZVENV  ?= .venv-zensical
ZSTAMP := $(ZVENV)/.installed
# For example PARITY_ARGS="--axe all" or "--summary report.md".
PARITY_ARGS ?=

.PHONY: help serve new-page build build-zensical test check lint check-data bench browser clean


# Material for MkDocs prints an end-of-life notice on every run; editors took it for an
# error. This is the switch its own message names (material/templates/__init__.py).
export NO_MKDOCS_2_WARNING := 1

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is required (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,lint]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y npm; \
	  else echo "npm is missing. Install it with: sudo apt-get install -y npm"; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The offline bundle's search needs the iframe-worker shim, served from the site itself.
$(SHIM): node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/iframe-worker/shim/index.js $@

browser: ## Install Chromium and Java for browser and HTML tests (Debian packages)
	@if [ -x /usr/bin/chromium ] && command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES); \
	else \
	  echo "Chromium and Java are needed for the browser and HTML tests. Install them, then run make test again:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y $(APT_PACKAGES)"; \
	  exit 1; \
	fi

# mkdocs.preview.yml: mistakes show as red boxes in the page instead of stopping it.
# --dirty: a saved page is rendered alone (hooks/preview.py renders every page again when
# anything else changed).
serve: $(STAMP) $(SHIM) ## Preview the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve -f mkdocs.preview.yml --livereload --dirty --dev-addr 127.0.0.1:8000

new-page: $(STAMP) ## Start a new page: asks for chapter, title, description, audiences
	$(BIN)/python scripts/new_page.py

build: $(STAMP) $(SHIM) ## Strict build: site/ and dist/task-force-eguide-offline.zip
	$(if $(VERBOSE),EGUIDE_VERBOSE=1) $(BIN)/python scripts/build.py

$(ZSTAMP): requirements-zensical.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is required (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(ZVENV)/bin/python || $(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet -r requirements-zensical.txt
	touch $@

build-zensical: $(STAMP) $(SHIM) $(ZSTAMP) browser ## Build with Zensical too (build/zensical/) and write the parity report
	PYTHONPATH=$(CURDIR) $(ZVENV)/bin/python scripts/build_zensical.py
	PYTHONPATH=$(CURDIR):$(CURDIR)/tests $(BIN)/python scripts/zensical_parity.py $(PARITY_ARGS)

# -n auto: one pytest-xdist worker per core; the guide is built once, by the first
# worker that needs it (tests/conftest.py). TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
test: $(STAMP) $(SHIM) browser ## Build and run every test, browser tests included
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

check: $(STAMP) ## Check everything an edit can break, in one report (no build needed)
	$(BIN)/python scripts/check.py $(if $(VERBOSE),--verbose)

check-data: $(STAMP) ## Check data/*.yml only (no build needed)
	$(BIN)/python -m macros.check

# `make check`, then the GitHub workflow files (actionlint and zizmor); both always run.
lint: $(STAMP) ## `make check`, plus the GitHub workflow files (no browser, no network)
	@status=0; \
	$(BIN)/python scripts/check.py $(if $(VERBOSE),--verbose) || status=1; \
	$(BIN)/python scripts/check_workflows.py || status=1; \
	exit $$status

# Every speed goal next to its figure (docs/contribute/performance.md); a report, not a
# test. ONLY=lighthouse,search measures some sections; DURATIONS=junit.xml reads a
# `pytest --junitxml` file (or saved --durations=0 output) for the CI row.
bench: $(STAMP) $(SHIM) browser ## Measure every speed goal: preview, build, Lighthouse, search, CI
	$(BIN)/python scripts/bench.py $(if $(ONLY),--only $(ONLY)) $(if $(DURATIONS),--durations $(DURATIONS))

clean: ## Remove build output
	rm -rf site build dist
