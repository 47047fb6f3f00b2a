# Ancrage: `make run` starts the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/ancrage_bench
BENCH_PARTICIPANTS ?= 100000

.PHONY: run test test-smoke bench lint messages install install-dev system-deps clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --python $(PYTHON)
	touch $@
	rm -f $(VENV)/.installed-dev

$(VENV)/.installed-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## The demo: SQLite, the fictional Montréal consortium, http://127.0.0.1:$(PORT)
## (its placement goal is 8 people housed a month, the size of the demo's list; the default is 30)
run: install
	DEMO=1 $(PY) manage.py migrate --noinput
	DEMO=1 $(PY) manage.py seed_demo --if-empty
	DEMO=1 MONTHLY_PLACEMENT_GOAL=$${MONTHLY_PLACEMENT_GOAL:-8} $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Browser tests need Debian's Chromium; the catalogue check needs GNU gettext.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null; then \
		echo "Installing Debian packages: chromium gettext"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium gettext >/dev/null; \
	fi

## Every test: unit, integration and browser (DATABASE_URL when set, SQLite otherwise).
test: export ANCRAGE_TESTING = 1
test: install-dev system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy ancrage config
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "Models changed without a migration: run manage.py makemigrations" && exit 1)
	$(PY) -m pytest $(PYTEST_ARGS)

## The quick set CI also runs on SQLite.
test-smoke: export ANCRAGE_TESTING = 1
test-smoke: install-dev
	$(PY) -m pytest -m smoke $(PYTEST_ARGS)

## Timings on generated data at scale (PostgreSQL).
bench: export ANCRAGE_TESTING = 1
bench: install-dev
	$(PY) manage.py bench --database-url "$(BENCH_DB)" --participants $(BENCH_PARTICIPANTS)

lint: export ANCRAGE_TESTING = 1
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true
	$(VENV)/bin/mypy ancrage config
	$(VENV)/bin/lint-imports --no-cache

## Refresh the French catalogue after changing strings (then translate the new entries).
messages: export ANCRAGE_TESTING = 1
messages: install-dev
	$(PY) manage.py makemessages -l fr --no-obsolete --no-location --ignore=.venv --ignore=.tools --ignore=static/vendor --ignore=node_modules
	$(PY) manage.py compilemessages -l fr --ignore=.venv --ignore=.tools

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 var
