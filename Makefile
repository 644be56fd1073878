# Developer commands for the IRO service. `make run` and `make test` are the two that matter;
# both install what they need on first use (stamp files make later runs quick).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS_STAMP := build/static/.built

.PHONY: help install assets migrate run run-prod test bench lint format clean

help:
	@echo "make run       install, build assets, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test      start throwaway PostgreSQL and Redis, run pytest (ARGS='...' passes arguments)"
	@echo "make bench     time every measure on a synthetic authority 10x Lancashire in throwaway PostgreSQL"
	@echo "make install   create .venv with the runtime and dev dependencies, and node_modules"
	@echo "make assets    copy GOV.UK and MOJ Frontend from node_modules into build/static"
	@echo "make migrate   apply migrations (DEBUG=true, SQLite unless DATABASE_URL is set)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make run-prod  collectstatic, migrate and gunicorn; needs SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL"

# The virtualenv: runtime and dev dependencies from pyproject.toml, reinstalled when it changes.
$(VENV_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet uv
	$(UV) pip install --python $(PY) -r pyproject.toml --extra dev
	@touch $@

# node_modules from the committed lock file (npm install only if there is no lock yet).
$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

$(ASSETS_STAMP): $(NODE_STAMP) scripts/build_assets.py
	$(PYTHON) scripts/build_assets.py
	@touch $@

install: $(VENV_STAMP) $(NODE_STAMP)

assets: $(ASSETS_STAMP)

migrate: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput

# Local development: DEBUG on, SQLite (db.sqlite3) and eager Celery tasks unless the
# environment says otherwise.
run: install assets
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo_data --address $(HOST):$(PORT)
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Production-like: DEBUG off, hashed and compressed static files served by WhiteNoise.
# Start a worker and beat beside it (see README.md).
run-prod: install assets
	@missing=""; for var in SECRET_KEY DATABASE_URL CELERY_BROKER_URL; do \
		[ -n "$${!var}" ] || missing="$$missing $$var"; done; \
	if [ -n "$$missing" ]; then echo "run-prod: set$$missing (see .env.example)" >&2; exit 1; fi
	DEBUG=false $(PY) manage.py collectstatic --noinput
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(VENV)/bin/gunicorn iro_service.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

test:
	bash scripts/test.sh $(ARGS)

# Builds a synthetic authority (10x Lancashire, ten years) and times compute_all on it.
bench:
	bash scripts/bench.sh $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf build staticfiles node_modules/.installed
