# Developer commands for the IRO service. `make run` and `make test` are the two that matter;
# both install what they need on first use (stamp files make later runs quick).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# uv installs the locked versions (uv.lock); the same uv everywhere (Dockerfile too).
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS_STAMP := build/static/.built

.PHONY: help install install-prod upgrade assets migrate run run-prod test bench lint format clean

help:
	@echo "make run       install, build assets, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test      start throwaway PostgreSQL and Redis, run pytest (ARGS='...' passes arguments)"
	@echo "make bench     time every measure on a synthetic authority 10x Lancashire in throwaway PostgreSQL"
	@echo "make install   create .venv with the runtime and dev dependencies (uv.lock), and node_modules"
	@echo "make install-prod  the runtime dependencies only (uv.lock), node_modules and the assets"
	@echo "make upgrade   re-resolve uv.lock to the newest versions pyproject.toml allows, then install"
	@echo "make assets    copy GOV.UK and MOJ Frontend from node_modules into build/static"
	@echo "make migrate   apply migrations (DEBUG=true, SQLite unless DATABASE_URL is set)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make run-prod  collectstatic, migrate and gunicorn; needs SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL"

# The virtualenv: the exact versions in uv.lock, runtime and dev dependencies, reinstalled when
# the lock changes. --locked stops with a message if pyproject.toml was edited without
# `make upgrade` (or `uv lock`); --inexact keeps uv itself, which the lock does not list.
$(VENV_STAMP): pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(UV) --version 2>/dev/null | grep -q " $(UV_VERSION) " || $(PY) -m pip install --quiet uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --inexact --extra dev
	@touch $@

# A server's install: the runtime dependencies only, from the same lock, and the assets.
install-prod:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(UV) --version 2>/dev/null | grep -q " $(UV_VERSION) " || $(PY) -m pip install --quiet uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --inexact
	npm ci --omit=dev --no-audit --no-fund
	$(PYTHON) scripts/build_assets.py

# Newer versions: uv.lock re-resolved within pyproject.toml's ranges; commit the new lock
# after `make test` passes with it.
upgrade:
	@test -x $(UV) || $(MAKE) --no-print-directory install
	$(UV) lock --upgrade
	$(MAKE) --no-print-directory install

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

# Production settings on this machine: DEBUG off, hashed and compressed static files served by
# WhiteNoise, gunicorn. Start a worker and beat beside it (README.md). Served on loopback it
# speaks plain HTTP, so the session and CSRF cookies are not marked HTTPS-only unless
# SECURE_COOKIES says so, and ALLOWED_HOSTS defaults to 127.0.0.1,localhost; on any other
# address the cookies are HTTPS-only, and an HTTPS proxy must be in front.
# A server runs the systemd units in deploy/systemd instead (README, "Running in production").
run-prod: install assets
	@missing=""; for var in SECRET_KEY DATABASE_URL CELERY_BROKER_URL; do \
		[ -n "$${!var}" ] || missing="$$missing $$var"; done; \
	if [ -n "$$missing" ]; then echo "run-prod: set$$missing (see .env.example)" >&2; exit 1; fi
	DEBUG=false $(PY) manage.py collectstatic --noinput
	DEBUG=false $(PY) manage.py migrate --noinput
	@case "$(HOST)" in 127.*|localhost|::1) loopback=true;; *) loopback=false;; esac; \
	secure="$${SECURE_COOKIES:-$$( [ $$loopback = true ] && echo false || echo true )}"; \
	hosts="$${ALLOWED_HOSTS:-$$( [ $$loopback = true ] && echo 127.0.0.1,localhost )}"; \
	echo "run-prod: http://$(HOST):$(PORT)/ (cookies HTTPS-only: $$secure)"; \
	DEBUG=false SECURE_COOKIES=$$secure ALLOWED_HOSTS=$$hosts exec $(VENV)/bin/gunicorn iro_service.wsgi \
		--bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

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
