# Sylva: `make run` to see it, `make test` to test it. Everything installs into .venv/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test test-sqlite test-postgres check bench messages screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[dev]'
	touch $@

# What the browser tests load into Chromium (axe-core, pinned in tests/browser/package-lock.json):
# `npm ci` again whenever the lock file changes. Without npm the browser tests cannot check
# accessibility: say so plainly rather than skipping it.
BROWSER_NODE := tests/browser/node_modules/.package-lock.json
$(BROWSER_NODE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm) for the browser tests' accessibility check" >&2; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error || { echo "npm ci failed in tests/browser: the npm registry must be reachable to install axe-core" >&2; exit 1; }
	touch $@

## run: install, migrate an embedded SQLite database, load the demo company, serve on :8000
run: $(VENV)/.installed
	$(VENV)/bin/sylva demo

## test: the whole suite on SQLite (browser tests included), then on PostgreSQL when
## SYLVA_TEST_POSTGRES_URL is set (.ci/run sets it): every test but the browser tests and the
## walks over every page as every viewer (marked walk), which run once, on SQLite
test: $(VENV)/.dev-installed test-sqlite test-postgres

# The tests without a browser run on WORKERS processes (pytest-xdist: each its own test
# database). The browser tests run after, on WORKERS processes too: each starts its own live
# demo server on its own SQLite file, and takes whole files (--dist loadfile), since the
# tests of a file share what its module fixtures set up on that server.
WORKERS ?= 2
test-sqlite: $(VENV)/.dev-installed $(BROWSER_NODE)
	$(PY) -m pytest -n $(WORKERS) -m "not browser"
	$(PY) -m pytest -n $(WORKERS) --dist loadfile -m browser

test-postgres: $(VENV)/.dev-installed
	@if [ -n "$$SYLVA_TEST_POSTGRES_URL" ]; then \
		echo "== the suite again, on PostgreSQL =="; \
		SYLVA_DATABASE_URL="$$SYLVA_TEST_POSTGRES_URL" $(PY) -m pytest -n $(WORKERS) -m "not browser and not walk"; \
	else \
		echo "SYLVA_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run (.ci/run sets it)."; \
	fi

## check: lint (with a complexity limit), format, types, and the layers (.importlinter)
check: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

## bench: every benchmark in bench/, each ends with a `BENCH <name>: …` line
bench: $(VENV)/.dev-installed
	@set -e; found=0; for b in bench/*.py; do [ -e "$$b" ] || continue; found=1; \
		echo "== $$b"; $(PY) "$$b"; done; [ $$found = 1 ] || echo "no benchmark yet in bench/"

## messages: refresh the French and English catalogues (needs GNU gettext)
## (gettext signs nothing: a throwaway key lets it start without SYLVA_SECRET_KEY)
messages: $(VENV)/.installed
	cd src/sylva && SYLVA_SECRET_KEY=$${SYLVA_SECRET_KEY:-catalogues-only-$$$$-never-signs-anything} \
		../../$(VENV)/bin/sylva makemessages -l fr -l en --no-obsolete
	cd src/sylva && SYLVA_SECRET_KEY=$${SYLVA_SECRET_KEY:-catalogues-only-$$$$-never-signs-anything} \
		../../$(VENV)/bin/sylva compilemessages

## screenshots: retake the README's screenshots through the browser tests
screenshots: $(VENV)/.dev-installed $(BROWSER_NODE)
	SYLVA_UPDATE_SCREENSHOTS=1 $(PY) -m pytest tests/browser -k screenshot

clean:
	rm -rf $(VENV) staticfiles sylva.sqlite3* tests/browser/node_modules
