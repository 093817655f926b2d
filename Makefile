# The archive's everyday commands. `make site` and `make test` set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check record measure-search bench browser clean

site: $(INSTALLED)
	$(BIN)/mkdocs build --strict

serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dirty

check: $(INSTALLED)
	$(BIN)/build-archive check

# Build the real Reuters-21578 stories and a 20,000-article synthetic archive (long).
bench: $(INSTALLED)
	$(BIN)/build-archive bench $(BENCH_ARGS)

# After publishing: record every page address, so later renames redirect. Commit the result.
record: $(INSTALLED)
	$(BIN)/build-archive record

# What a reader's first search downloads on a 20,000-article archive (takes a while).
measure-search: $(INSTALLED) browser
	$(BIN)/python scripts/measure_search.py --articles 20000

test: $(INSTALLED) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser: $(CHROMIUM) $(AXE)

# The virtual environment, with the package and its pinned dependencies.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Debian's Chromium, which the browser tests drive through Playwright.
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

# axe-core, which the accessibility tests inject into pages; pinned in package-lock.json.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf site $(VENV) node_modules
