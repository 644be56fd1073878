#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a PostgreSQL database.
#
#   scripts/restore.sh FILE TARGET_DATABASE_URL [--replace]
#
# The target is named on the command line, never read from DATABASE_URL, so a restore cannot
# land on the live database by accident. Into an empty database (createdb first) it restores
# as is. A database that already has the service's tables is refused unless --replace is
# given: then its objects are dropped and restored from the backup (pg_restore --clean
# --if-exists). Either way it is one transaction: if anything fails, the target is left as
# it was. Objects are owned by the target URL's user (--no-owner), so a backup restores into
# another server with other roles. Then run `manage.py migrate` if the code is newer than the
# backup.
set -euo pipefail

log() { echo "restore.sh: $*" >&2; }

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ] || { [ "$#" = 3 ] && [ "$3" != --replace ]; }; then
    log "usage: scripts/restore.sh FILE TARGET_DATABASE_URL [--replace]"
    exit 2
fi
file="$1"
target="$2"
replace="${3:-}"
[ -r "$file" ] || { log "cannot read $file"; exit 2; }
case "$target" in
    postgres://* | postgresql://*) ;;
    pgsql://*) target="postgresql://${target#pgsql://}" ;;
    *) log "TARGET_DATABASE_URL must be a postgres:// URL"; exit 2 ;;
esac

pg_tool() {
    local found
    found="$(compgen -G "/usr/lib/postgresql/*/bin/$1" | sort -V | tail -n 1 || true)"
    if [ -n "$found" ]; then echo "$found"; else command -v "$1"; fi
}
PG_RESTORE="${PG_RESTORE:-$(pg_tool pg_restore)}"
PSQL="$(dirname "$PG_RESTORE")/psql"
[ -x "$PSQL" ] || PSQL="$(pg_tool psql)"

tables="$("$PSQL" --no-password -X -tA -d "$target" \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
clean=()
if [ "$tables" != 0 ]; then
    if [ "$replace" != --replace ]; then
        log "the target database already has $tables tables; restore into an empty database," \
            "or pass --replace to drop them and restore the backup in their place"
        exit 1
    fi
    clean=(--clean --if-exists)
fi

"$PG_RESTORE" --no-password --no-owner --single-transaction --exit-on-error "${clean[@]}" \
    --dbname="$target" "$file"
log "restored $file"
