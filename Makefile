# Ancrage: `make run` starts the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Tests run in parallel, one database per worker: `PYTEST_WORKERS=0 make test` runs them in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist worksteal)
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/ancrage_bench
BENCH_SIZES ?= 10000,100000
BENCH_REQUESTS ?= 120
BENCH_LOAD_USERS ?= 50,200
BENCH_LOAD_SECONDS ?= 60

.PHONY: run test test-smoke bench lint format-check source-only python-check messages install install-dev system-deps clean

## Python 3.11 or later (Linux or macOS); `PYTHON=python3.12 make run` picks another interpreter.
python-check:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Ancrage needs Python 3.11 or later; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
		echo "Install one (Debian/Ubuntu: apt install python3 python3-venv; macOS: brew install python@3.12)"; \
		echo "and name it: PYTHON=python3.12 make ..."; exit 1; }

$(UV): | python-check
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
## (its placement goal is 8 people housed a month, the size of the demo's list; the default is 30).
## honcho starts the web server, the task worker and the scheduler (Procfile.demo); Ctrl-C stops all three.
## Seeding runs its tasks at once; the three processes queue them in the database for the worker.
run: install
	DEMO=1 $(PY) manage.py compile_catalogue
	DEMO=1 $(PY) manage.py migrate --noinput
	DEMO=1 $(PY) manage.py seed_demo --if-empty
	DEMO=1 TASKS_BACKEND=django_tasks_db.DatabaseBackend PORT=$(PORT) \
		MONTHLY_PLACEMENT_GOAL=$${MONTHLY_PLACEMENT_GOAL:-8} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
		$(VENV)/bin/honcho --procfile Procfile.demo --app-root . start

## Browser tests need Chromium; the catalogue check needs GNU gettext (msgfmt). On Debian and Ubuntu
## they are installed with apt; elsewhere (macOS) this says what to install.
CHROMIUM_CANDIDATES := $(ANCRAGE_CHROMIUM) /usr/bin/chromium /usr/bin/chromium-browser \
	/Applications/Chromium.app/Contents/MacOS/Chromium
system-deps:
	@missing=""; \
	chromium=""; for c in $(CHROMIUM_CANDIDATES); do [ -x "$$c" ] && chromium="$$c" && break; done; \
	[ -n "$$chromium" ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null; then \
		sudo=""; [ "$$(id -u)" = "0" ] || sudo=sudo; \
		echo "Installing Debian packages:$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	elif [ "$$(uname -s)" = "Darwin" ]; then \
		echo "Missing:$$missing. On macOS, install them with Homebrew:"; \
		echo "  brew install gettext && brew link --force gettext   # msgfmt"; \
		echo "  brew install --cask chromium                        # /Applications/Chromium.app"; \
		echo "or point ANCRAGE_CHROMIUM at another Chromium-based browser's executable, then run make again."; \
		exit 1; \
	else \
		echo "Missing:$$missing. Install Chromium and GNU gettext with your system's package manager"; \
		echo "(or set ANCRAGE_CHROMIUM to Chromium's executable), then run make again."; \
		exit 1; \
	fi

## Every test: unit, integration and browser (DATABASE_URL when set, SQLite otherwise), in parallel on
## every core (one test database and one browser per worker), the 20 slowest printed at the end.
test: export ANCRAGE_TESTING = 1
test: install-dev system-deps
	$(VENV)/bin/ruff check .
	@$(MAKE) --no-print-directory format-check
	$(VENV)/bin/mypy ancrage config
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "Models changed without a migration: run manage.py makemigrations" && exit 1)
	$(PY) -m pytest $(PYTEST_PARALLEL) --durations=20 $(PYTEST_ARGS)

## The quick set CI also runs on SQLite.
test-smoke: export ANCRAGE_TESTING = 1
test-smoke: install-dev
	$(PY) -m pytest -m smoke $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## What users get over real HTTP (issue 16): the scale data of each size built once into $(BENCH_DB)_<size>
## (reused afterwards: a marker holds the size and the migrations), a copy of it served by gunicorn in
## production settings (2 sync workers, loopback), every daily page signed in as its users, the background
## parts, and a load step with locust; each figure beside its goal. The copy is dropped at the end.
bench: export ANCRAGE_TESTING = 1
bench: install-dev
	$(PY) manage.py bench --database-url "$(BENCH_DB)" --sizes $(BENCH_SIZES) --requests $(BENCH_REQUESTS) \
		--load-users "$(BENCH_LOAD_USERS)" --load-seconds $(BENCH_LOAD_SECONDS)

lint: export ANCRAGE_TESTING = 1
lint: install-dev source-only
	$(VENV)/bin/ruff check .
	@$(MAKE) --no-print-directory format-check
	$(VENV)/bin/mypy ancrage config
	$(VENV)/bin/lint-imports --no-cache

format-check: install-dev
	@$(VENV)/bin/ruff format --check . || { echo "Some files are not formatted: run .venv/bin/ruff format <files>"; exit 1; }

## The repository holds source only: no tracked file may match .gitignore (a virtual environment, a database…).
source-only:
	@tracked="$$(git ls-files -ci --exclude-standard)"; \
	if [ -n "$$tracked" ]; then \
		echo "These tracked files match .gitignore; remove them from the index (git rm -r --cached <path>):"; \
		echo "$$tracked" | head -20; \
		n=$$(echo "$$tracked" | wc -l); [ "$$n" -le 20 ] || echo "… and $$((n - 20)) more"; \
		exit 1; \
	fi

## Refresh the French catalogue after changing strings (then translate the new entries).
messages: export ANCRAGE_TESTING = 1
messages: install-dev
	$(PY) manage.py makemessages -l fr --no-obsolete --no-location --ignore=.venv --ignore=.tools --ignore=static/vendor --ignore=node_modules
	$(PY) manage.py compile_catalogue --force

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 var
