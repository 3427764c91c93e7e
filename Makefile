# wardapp: `make serve` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make serve` keeps the terminal for its address and errors: ACCESS_LOG=- shows each request.
ACCESS_LOG ?=
LOG_LEVEL ?= warning
export FLASK_APP := wsgi.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `make test` runs the suite in this many processes (pytest-xdist), a test file to each in
# turn; PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2

.PHONY: setup serve test lint bench translations messages chromium nginx clean locks

# Exactly the versions CI tested (requirements-dev.txt, made by `make locks`), then the app.
$(VENV)/.installed: pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d wardapp/translations >/dev/null

setup: $(VENV)/.installed translations

## Serve the app with demo data on SQLite at http://127.0.0.1:$(PORT), a job worker beside it
serve: setup
	$(BIN)/flask db upgrade
	WARDAPP_DEMO=true $(BIN)/flask wardapp demo
	WARDAPP_DEMO=true WARDAPP_BASE_URL=http://127.0.0.1:$(PORT) PORT=$(PORT) GUNICORN_ACCESS_LOG=$(ACCESS_LOG) \
	  GUNICORN_LOG_LEVEL=$(LOG_LEVEL) GUNICORN_READY_MESSAGE=demo $(BIN)/python deploy/serve.py

chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx, for the test that puts it in front of gunicorn (deploy/nginx.conf).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

## Run the scripts' unit tests, then the whole suite (on PostgreSQL too when WARDAPP_TEST_POSTGRES_URL is set)
test: setup chromium nginx
	@command -v node >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs >/dev/null; }
	node --test tests/js/
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## ruff (lint and format), mypy and the import contracts; CI runs it before the tests
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python tests/benchmarks/bench_media.py
	$(BIN)/python tests/benchmarks/bench_api.py

clean:
	rm -rf $(VENV) instance

## Re-extract the strings and merge them into both catalogs (for developers)
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F wardapp/translations/babel.cfg -k _l -k lazy_gettext -o wardapp/translations/messages.pot --no-location --sort-output --project wardapp .
	$(BIN)/pybabel update -i wardapp/translations/messages.pot -d wardapp/translations --no-fuzzy-matching

## Pin again after changing a range in pyproject.toml (keeps every pin that still fits)
locks: $(VENV)/.installed
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra test --extra lint -o requirements-dev.txt pyproject.toml
