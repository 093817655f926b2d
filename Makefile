# The archive's everyday commands. `make site` and `make test` set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check bench browser clean

site: $(INSTALLED)
	$(BIN)/mkdocs build --strict

serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dirty

check: $(INSTALLED)
	$(BIN)/build-archive check

# Build the real Reuters-21578 stories and a 20,000-article synthetic archive (long).
bench: $(INSTALLED)
	$(BIN)/build-archive bench $(BENCH_ARGS)

test: $(INSTALLED) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser: $(CHROMIUM)

# The virtual environment, with the package and its pinned dependencies.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Debian's Chromium, which the browser tests drive through Playwright.
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

clean:
	rm -rf site $(VENV)
