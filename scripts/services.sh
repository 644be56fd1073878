# shellcheck shell=bash
# Throwaway local services for scripts/test.sh and scripts/bench.sh: Debian packages, a
# PostgreSQL cluster and a Redis server, each on a free port on 127.0.0.1, with their data
# under one temporary directory that stop_services removes. Source it; it runs nothing itself.
#
# The caller sets LOG_NAME (the prefix of every message) and, before start_postgres or
# start_redis, calls make_run_dir. It installs `trap <its cleanup> EXIT` and calls
# stop_services from that cleanup, so the services stop on every exit, Ctrl-C included.

log() { echo "${LOG_NAME:-services.sh}: $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------------------------------------
# System packages.
# ---------------------------------------------------------------------------------------------
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# install_missing_packages CHECK APT_PACKAGE...
# CHECK is a function that prints the packages still missing (space-separated, empty if none).
# As root, apt-get installs APT_PACKAGE... and whatever CHECK printed; otherwise it says what to
# install and exits. Exits if CHECK still finds something missing afterwards.
install_missing_packages() {
    local check="$1" missing
    shift
    missing="$("$check")"
    [ -n "$missing" ] || return 0
    if ! is_root; then
        log "missing system packages: $missing"
        log "install them with: sudo apt-get install -y $missing"
        exit 1
    fi
    log "installing missing system packages: $missing"
    # Keep apt from starting Debian's own PostgreSQL cluster and Redis service.
    local policy_rc=/usr/sbin/policy-rc.d added_policy_rc=""
    if [ ! -e "$policy_rc" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy_rc"
        chmod 755 "$policy_rc"
        added_policy_rc=1
    fi
    # shellcheck disable=SC2086
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "$@" $missing; }; then
        [ -z "$added_policy_rc" ] || rm -f "$policy_rc"
        log "apt-get failed"
        exit 1
    fi
    [ -z "$added_policy_rc" ] || rm -f "$policy_rc"
    missing="$("$check")"
    if [ -n "$missing" ]; then
        log "still missing after apt-get install: $missing"
        exit 1
    fi
}

# ---------------------------------------------------------------------------------------------
# The run directory, free ports, and the state stop_services reads.
# ---------------------------------------------------------------------------------------------
RUN_DIR=""
PG_STARTED=""
PG_PORT=""
REDIS_PORT=""

pg_bin() { dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)"; }

as_postgres() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# make_run_dir PREFIX: a new /tmp/PREFIX.XXXXXX (owned by postgres when run as root) in RUN_DIR.
make_run_dir() {
    RUN_DIR="$(mktemp -d "/tmp/$1.XXXXXX")"
    if is_root; then
        chown postgres:postgres "$RUN_DIR"
    fi
    mkdir -p "$RUN_DIR/pgsock"
    if is_root; then chown postgres:postgres "$RUN_DIR/pgsock"; fi
}

# free_ports PYTHON N: N ports free on 127.0.0.1 now, on one line.
free_ports() {
    "$1" - "$2" <<'PYEOF'
import socket
import sys

sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
for s in sockets:
    s.close()
PYEOF
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

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a new cluster owned by the postgres user (initdb refuses to run as root), with
# role and database `iro` (password `iro`), and the role `iro_app` that owns nothing (the
# service's role in production: manage.py grant_app_role). Durability is off: the data is
# thrown away.
# start_postgres PORT [extra `-c name=value` server options...]
# ---------------------------------------------------------------------------------------------
start_postgres() {
    local port="$1" pgbin
    shift
    pgbin="$(pg_bin)"
    PG_PORT="$port"
    if ! as_postgres "$pgbin/initdb" -D "$RUN_DIR/pgdata" -U postgres --auth=trust \
        --encoding=UTF8 --no-locale --no-sync >"$RUN_DIR/initdb.log" 2>&1; then
        cat "$RUN_DIR/initdb.log" >&2
        log "initdb failed"
        exit 1
    fi
    PG_STARTED=1
    if ! as_postgres "$pgbin/pg_ctl" -D "$RUN_DIR/pgdata" -l "$RUN_DIR/postgres.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN_DIR/pgsock \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off $*" start >/dev/null; then
        cat "$RUN_DIR/postgres.log" >&2
        log "PostgreSQL did not start"
        exit 1
    fi
    "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE iro LOGIN CREATEDB PASSWORD 'iro'" \
        -c "CREATE ROLE iro_app LOGIN PASSWORD 'iro_app'" \
        -c "CREATE DATABASE iro OWNER iro"
    log "PostgreSQL $("$pgbin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$(pg_bin)/pg_ctl" -D "$RUN_DIR/pgdata" stop -m fast -w -t 60 >/dev/null 2>&1
        wait_port_closed "$PG_PORT" PostgreSQL && log "PostgreSQL on port $PG_PORT stopped"
        PG_STARTED=""
    fi
}

# ---------------------------------------------------------------------------------------------
# Redis: no persistence; it daemonizes itself.
# start_redis PORT
# ---------------------------------------------------------------------------------------------
start_redis() {
    local port="$1"
    REDIS_PORT="$port"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
        --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" >/dev/null
    for _ in $(seq 1 100); do
        [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != PONG ]; then
        cat "$RUN_DIR/redis.log" >&2
        log "Redis did not start"
        exit 1
    fi
    log "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port"
}

stop_redis() {
    if [ -n "$REDIS_PORT" ] && port_open "$REDIS_PORT"; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
        wait_port_closed "$REDIS_PORT" Redis && log "Redis on port $REDIS_PORT stopped"
    fi
    REDIS_PORT=""
}

# Stop whatever was started and remove the run directory. Safe to call more than once, and
# with `set +e` in effect (from a cleanup trap).
stop_services() {
    stop_redis
    stop_postgres
    if [ -n "$RUN_DIR" ]; then
        rm -rf "$RUN_DIR"
        RUN_DIR=""
    fi
}
