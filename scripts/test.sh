#!/usr/bin/env bash
# Run the test suite against real services that this script starts and stops itself:
# a throwaway PostgreSQL cluster and a Redis server, each on a free port on 127.0.0.1,
# with their data under one temporary directory that is removed afterwards.
#
#   scripts/test.sh [pytest arguments...]       (also: make test ARGS='...', PYTEST_ARGS='...')
#
# As root it installs missing Debian packages first (PostgreSQL, Redis, Chromium, poppler,
# Pango for WeasyPrint). It then makes sure .venv, node_modules and build/static exist
# (make install assets), starts the services, runs pytest and exits with pytest's status.
# The services are stopped on every exit, failed runs and Ctrl-C included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOG_NAME=test.sh
# shellcheck source=scripts/services.sh
source "$ROOT/scripts/services.sh"

# ---------------------------------------------------------------------------------------------
# 1. System packages.
# ---------------------------------------------------------------------------------------------
missing_packages() {
    local missing=()
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
    { command -v redis-server && command -v redis-cli; } >/dev/null || missing+=(redis-server)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    deb_installed libpango-1.0-0 || missing+=(libpango-1.0-0)
    deb_installed libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
    command -v npm >/dev/null || missing+=(npm)
    echo "${missing[*]}"
}

install_missing_packages missing_packages postgresql redis-server chromium chromium-driver \
    poppler-utils libpango-1.0-0 libpangoft2-1.0-0

# ---------------------------------------------------------------------------------------------
# 2. The virtualenv, node_modules and build/static, exactly as `make run` makes them.
# ---------------------------------------------------------------------------------------------
make --no-print-directory -C "$ROOT" install assets
PY="$ROOT/.venv/bin/python"

# ---------------------------------------------------------------------------------------------
# 3. Services, stopped by the EXIT trap whatever happens next.
# ---------------------------------------------------------------------------------------------
# A Celery worker left behind by a pytest that was killed outright (conftest records its pid).
stop_leftover_celery_worker() {
    if [ -n "$RUN_DIR" ] && [ -f "$RUN_DIR/celery-worker.pid" ]; then
        local pid
        pid="$(cat "$RUN_DIR/celery-worker.pid")"
        if [ -n "$pid" ] && grep -qa celery "/proc/$pid/cmdline" 2>/dev/null \
            && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
            log "stopping leftover Celery worker $pid"
            kill -TERM "$pid" 2>/dev/null
            sleep 2
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_leftover_celery_worker
    stop_services
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_run_dir iro-test
read -r PG_PORT REDIS_PORT < <(free_ports "$PY" 2)
# No autovacuum: it would analyze a table at a moment of its choosing, and every test's rows
# are rolled back, so it finds pages of dead rows and records "0 rows" for them. After that
# every join over the table was planned as a loop over full scans (a test once sat 12 minutes
# in one query). Without it the tables keep the statistics of a table never analyzed, which the
# planner estimates from its size: the same plans on every run. The measures do not depend on
# this (tests/reporting/test_bounded_measures.py gives them the worst statistics on purpose).
start_postgres "$PG_PORT" -c autovacuum=off
start_redis "$REDIS_PORT"

# ---------------------------------------------------------------------------------------------
# 4. pytest, against those services.
# ---------------------------------------------------------------------------------------------
export DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/iro"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:$REDIS_PORT/1"
# Tasks run inline in tests that touch the (test) database; the worker test turns this off.
export CELERY_TASK_ALWAYS_EAGER=true
export SECRET_KEY=test-only-key
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export IRO_TEST_RUN_DIR="$RUN_DIR"
unset DEBUG

read -r -a EXTRA_ARGS <<<"${PYTEST_ARGS:-}"
status=0
"$PY" -m pytest "${EXTRA_ARGS[@]}" "$@" || status=$?
log "pytest exited with status $status"
exit "$status"
