# Everything a fresh machine needs is installed by these targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup browser servers build serve test check clean dist pdf node java bench new-page citations

$(STAMP): requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# Debian's Chromium drives the browser tests and prints PDFs; test tools may not download one here.
browser:
	@if ! command -v chromium >/dev/null || ! command -v pdfinfo >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else \
	    echo "Please install Chromium and poppler-utils (Debian: apt-get install chromium poppler-utils)"; exit 1; \
	  fi; \
	fi

setup: $(STAMP) browser node

# Debian's nginx and Apache, which tests/test_servers.py runs with the generated configuration.
# The tests start their own on 127.0.0.1; the system services the packages start are stopped
# and disabled so they never answer on port 80 by surprise.
servers:
	@if ! command -v nginx >/dev/null || ! command -v apache2 >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx apache2 >/dev/null; \
	    for service in nginx apache2; do \
	      (systemctl disable --now $$service || { service $$service stop; update-rc.d $$service disable; }) >/dev/null 2>&1; \
	    done; true; \
	  else \
	    echo "Please install nginx and Apache (Debian: apt-get install nginx apache2)"; exit 1; \
	  fi; \
	fi

# --- Accessibility, HTML and speed checks ---
# axe-core, vnu-jar and lighthouse, pinned in package-lock.json; never fetched at test time.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# vnu (the Nu Html Checker) runs on Java; Debian's default-jre-headless if it is missing.
java:
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "Please install Java (Debian: apt-get install default-jre-headless)"; exit 1; \
	  fi; \
	fi

node: $(NODE_STAMP) java

bench: setup servers
	$(PY) scripts/bench

# --- Publishing: atomic build, a preview that survives mistakes, offline zips ---
# `make build PY=/some/python` uses that interpreter and skips the venv (tests do this).
ifeq ($(origin PY),command line)
SETUP :=
else
SETUP := $(STAMP)
endif

# A clinic's copy: any of CLINIC_NAME, CLINIC_PHONE or CLINIC_WEB (or PUBLISHER_NAME, _LOGO, _WEB) set
# (in the environment or on the command line) puts the clinic's details on the site, so that build goes to its own
# folder, build/clinic/ (CLINIC_DIR=... to choose another), never over the public site/ or dist/.
# $(value ...): a name is text, never make syntax, whatever characters it holds.
CLINIC := $(strip $(value CLINIC_NAME)$(value CLINIC_PHONE)$(value CLINIC_WEB)$(value PUBLISHER_NAME)$(value PUBLISHER_LOGO)$(value PUBLISHER_WEB))
CLINIC_DIR ?= build/clinic
SITE_DIR := $(if $(CLINIC),$(CLINIC_DIR)/site,site)
DIST_DIR := $(if $(CLINIC),$(CLINIC_DIR)/dist,dist)

# The whole site, PDFs included (printed by Chromium, cached in build/cache/ by their inputs).
build: $(SETUP) browser
	$(PY) scripts/build --site-dir $(SITE_DIR)
ifneq ($(CLINIC),)
	@echo "Clinic copy: the site is in $(SITE_DIR)/ and its PDFs in $(SITE_DIR)/pdf/ (the handout: handout.pdf, US Letter, and handout-a4.pdf). The public site/ is untouched."
endif

# The preview builds into a temporary folder, with or without a clinic's details.
serve: $(SETUP)
	$(PY) scripts/serve --dev-addr 127.0.0.1:8000

dist: $(SETUP) browser
	$(PY) scripts/dist --site-dir $(SITE_DIR) --out $(DIST_DIR)
ifneq ($(CLINIC),)
	@echo "Clinic copy: the site is in $(SITE_DIR)/, its PDFs in $(SITE_DIR)/pdf/, the offline zips and nginx.conf in $(DIST_DIR)/. The public site/ and dist/ are untouched."
endif

# Start a page: make new-page TITLE="Questions to ask your doctor"
new-page: $(SETUP)
	@test -n "$(TITLE)" || { echo 'Give the title: make new-page TITLE="Questions to ask your doctor"'; exit 1; }
	$(PY) scripts/new-page --title "$(TITLE)"

# For an editor: every claim beside the sources it cites.
citations: $(SETUP)
	@$(PY) scripts/citations

# `make build` prints every page to site/pdf/ (a clinic's copy: build/clinic/site/pdf/); kept as a name for it.
pdf: build

# Each worker rewrites the asserts of every test module it collects (seconds of CPU) and keeps the
# result only as bytecode: where PYTHONDONTWRITEBYTECODE is set, every worker of every run would pay
# again. (The preview's rebuilds still write none: its watcher would see them.)
TESTS_BYTECODE := PYTHONDONTWRITEBYTECODE=

# Every tier, with the slowest tests and the generators' branch coverage in the summary. Four
# workers on this 2-CPU machine: much of a browser test is waiting, and four measured fastest.
test: setup servers
	$(TESTS_BYTECODE) $(PY) -m pytest -n 4 --dist loadgroup --durations=15 \
	  --cov=scripts/sitegen --cov-branch --cov-report=term:skip-covered --cov-fail-under=90

# After every edit: the site model, the generators and the content checks on one build (< 30 s).
# The build comes first, so bad input stops the check at once with the build's one message;
# the tests then read that build (TEST_SITE_DIR) rather than making their own. Two workers: these
# tests are all computing, one per CPU.
check: $(SETUP) browser node
	$(PY) scripts/build --site-dir build/check/site
	$(TESTS_BYTECODE) TEST_SITE_DIR=build/check/site HYPOTHESIS_PROFILE=check $(PY) -m pytest -q -n 2 -m "unit or build" --durations=5

clean:
	rm -rf site build dist $(VENV) node_modules

# --- Tests that prove themselves: figures and checks outside `make test` ---
# Known breaks (tests/breaks.yml) applied one at a time to a scratch copy; each must be caught.
.PHONY: breaks mutation
breaks: setup
	$(PY) scripts/breaks $(BREAKS)

# Mutation score of scripts/sitegen/ against the fast tests (mutmut, pinned in requirements.lock).
mutation: $(STAMP)
	$(PY) scripts/mutation $(MODULES)
