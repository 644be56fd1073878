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

log() { echo "test.sh: $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------------------------------------
# 1. System packages.
# ---------------------------------------------------------------------------------------------
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

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

MISSING="$(missing_packages)"
if [ -n "$MISSING" ]; then
    if ! is_root; then
        log "missing system packages: $MISSING"
        log "install them with: sudo apt-get install -y $MISSING"
        exit 1
    fi
    log "installing missing system packages: $MISSING"
    # Keep apt from starting Debian's own PostgreSQL cluster and Redis service.
    POLICY_RC=/usr/sbin/policy-rc.d
    ADDED_POLICY_RC=""
    if [ ! -e "$POLICY_RC" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
        chmod 755 "$POLICY_RC"
        ADDED_POLICY_RC=1
    fi
    # shellcheck disable=SC2086
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            postgresql redis-server chromium chromium-driver poppler-utils \
            libpango-1.0-0 libpangoft2-1.0-0 $MISSING; }; then
        [ -z "$ADDED_POLICY_RC" ] || rm -f "$POLICY_RC"
        log "apt-get failed"
        exit 1
    fi
    [ -z "$ADDED_POLICY_RC" ] || rm -f "$POLICY_RC"
    MISSING="$(missing_packages)"
    if [ -n "$MISSING" ]; then
        log "still missing after apt-get install: $MISSING"
        exit 1
    fi
fi

# ---------------------------------------------------------------------------------------------
# 2. The virtualenv, node_modules and build/static, exactly as `make run` makes them.
# ---------------------------------------------------------------------------------------------
make --no-print-directory -C "$ROOT" install assets
PY="$ROOT/.venv/bin/python"

# ---------------------------------------------------------------------------------------------
# 3. Services, stopped by the EXIT trap whatever happens next.
# ---------------------------------------------------------------------------------------------
PGBIN="$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")"
RUN_DIR=""
PG_STARTED=""
REDIS_PORT=""
PG_PORT=""

as_postgres() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PID 1 here does not reap orphans, so a stopped server can linger as a zombie: judge by port.
wait_port_closed() {
    local port="$1" name="$2" i
    for i in $(seq 1 100); do
        port_open "$port" || return 0
        sleep 0.1
    done
    log "WARNING: $name still listening on port $port"
    return 1
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    # A Celery worker left behind by a pytest that was killed outright (conftest records its pid).
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
    if [ -n "$REDIS_PORT" ] && port_open "$REDIS_PORT"; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
        wait_port_closed "$REDIS_PORT" Redis && log "Redis on port $REDIS_PORT stopped"
    fi
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$RUN_DIR/pgdata" stop -m fast -w -t 60 >/dev/null 2>&1
        wait_port_closed "$PG_PORT" PostgreSQL && log "PostgreSQL on port $PG_PORT stopped"
    fi
    if [ -n "$RUN_DIR" ]; then
        rm -rf "$RUN_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

RUN_DIR="$(mktemp -d /tmp/iro-test.XXXXXX)"
if is_root; then
    chown postgres:postgres "$RUN_DIR"
fi
mkdir -p "$RUN_DIR/pgsock"
if is_root; then chown postgres:postgres "$RUN_DIR/pgsock"; fi

read -r PG_PORT REDIS_PORT < <("$PY" - <<'PYEOF'
import socket

sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
for s in sockets:
    s.close()
PYEOF
)

# PostgreSQL: a new cluster owned by the postgres user (initdb refuses to run as root).
if ! as_postgres "$PGBIN/initdb" -D "$RUN_DIR/pgdata" -U postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$RUN_DIR/initdb.log" 2>&1; then
    cat "$RUN_DIR/initdb.log" >&2
    log "initdb failed"
    exit 1
fi
PG_STARTED=1
if ! as_postgres "$PGBIN/pg_ctl" -D "$RUN_DIR/pgdata" -l "$RUN_DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN_DIR/pgsock \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    cat "$RUN_DIR/postgres.log" >&2
    log "PostgreSQL did not start"
    exit 1
fi
"$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE iro LOGIN CREATEDB PASSWORD 'iro'" \
    -c "CREATE DATABASE iro OWNER iro"
log "PostgreSQL $("$PGBIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

# Redis: no persistence, in the foreground of nothing (it daemonizes itself).
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" >/dev/null
for _ in $(seq 1 100); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
done
if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != PONG ]; then
    cat "$RUN_DIR/redis.log" >&2
    log "Redis did not start"
    exit 1
fi
log "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$REDIS_PORT"

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
