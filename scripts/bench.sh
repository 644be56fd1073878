#!/usr/bin/env bash
# Time every measure of the annual report on a synthetic authority ten times Lancashire's size
# with ten years of history (devdata/bench/synthetic.py), in a throwaway PostgreSQL cluster
# that this script starts on a free port on 127.0.0.1 and stops on every exit.
#
#   scripts/bench.sh [bench_indicators arguments...]     (also: make bench ARGS='...')
#   e.g. scripts/bench.sh --year 2025 --runs 5 --scale 1.0 --explain
#
# As root it installs PostgreSQL if it is missing. It makes sure .venv and build/static exist
# (make install assets: the annual report PDF needs their fonts), migrates the new database,
# then runs `manage.py bench_indicators`, which builds the data and prints the figures. It
# exits with the command's status.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOG_NAME=bench.sh
# shellcheck source=scripts/services.sh
source "$ROOT/scripts/services.sh"

missing_packages() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || echo postgresql
}
install_missing_packages missing_packages postgresql

make --no-print-directory -C "$ROOT" install assets
PY="$ROOT/.venv/bin/python"

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_services
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_run_dir iro-bench
read -r PG_PORT < <(free_ports "$PY" 1)
# The server's own defaults otherwise (shared_buffers 128MB, work_mem 4MB): the figures should
# not depend on tuning a production server may not have.
start_postgres "$PG_PORT"

export DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/iro"
export SECRET_KEY=bench-only-key
unset DEBUG

"$PY" manage.py migrate --noinput --skip-checks -v 0
status=0
"$PY" manage.py bench_indicators "$@" || status=$?
log "bench_indicators exited with status $status"

echo
echo "== booking desk: the list to book and an IRO's landing page, same synthetic authority =="
"$PY" manage.py bench_booking_desk || status=$?

echo
echo "== holding a conference: the chair's pages and a household of six, same synthetic authority =="
"$PY" manage.py bench_holding || status=$?

echo
echo "== load test: gunicorn on PostgreSQL, 4 clients, 500 requests over every role's main pages =="
"$PY" manage.py bench_load --clients 4 --requests 500 || status=$?

# Each further benchmark gets an empty database of its own in the same cluster.
fresh_database() {
    "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE $1 OWNER iro" >/dev/null
    DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/$1" "$PY" manage.py migrate --noinput --skip-checks -v 0
}

echo
echo "== annual report: the Lancashire 2011/12 sample, PDF for 2012 =="
fresh_database iro_sample
# The whole output to a file, then its first line: `| head -n 1` would close the pipe early
# and, under pipefail, turn load_sample's SIGPIPE into a failed step.
if DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/iro_sample" "$PY" manage.py load_sample lancashire-2011-12 >"$RUN_DIR/load_sample.log" 2>&1; then
    head -n 1 "$RUN_DIR/load_sample.log"
else
    status=$?
    cat "$RUN_DIR/load_sample.log" >&2
fi
DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/iro_sample" "$PY" manage.py build_annual_report --year 2012 --output "$RUN_DIR/annual-report-2012.pdf" || status=$?

echo
echo "== CIN census import: a generated file of 100,000 children =="
fresh_database iro_census
DATABASE_URL="postgres://iro:iro@127.0.0.1:$PG_PORT/iro_census" "$PY" manage.py bench_cin_import --children 100000 || status=$?
if [ "$status" -eq 0 ]; then log "every step worked"; else log "a step failed (status $status)"; fi
exit "$status"
