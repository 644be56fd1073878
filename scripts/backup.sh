#!/usr/bin/env bash
# Back up the service's PostgreSQL database to one file, in pg_dump's custom format (compressed,
# restored with scripts/restore.sh).
#
#   DATABASE_URL=postgres://user:password@host:5432/iro scripts/backup.sh [FILE]
#
# FILE defaults to backups/iro-YYYYMMDDTHHMMSSZ.dump. The dump is written beside FILE first and
# renamed once pg_dump has finished and the file has been read back, so a file with the
# final name is always a whole backup. It holds every child's record: it is readable by its
# owner only; keep it encrypted, and away from the database's own disk.
# pg_dump is the newest one installed (/usr/lib/postgresql/*/bin, as scripts/services.sh
# finds PostgreSQL), or PG_DUMP if set; it must be as new as the server.
set -euo pipefail

log() { echo "backup.sh: $*" >&2; }

if [ -z "${DATABASE_URL:-}" ]; then
    log "set DATABASE_URL to the database to back up, e.g. postgres://iro:...@127.0.0.1:5432/iro"
    exit 2
fi
case "$DATABASE_URL" in
    postgres://* | postgresql://*) url="$DATABASE_URL" ;;
    pgsql://*) url="postgresql://${DATABASE_URL#pgsql://}" ;;
    *)
        log "DATABASE_URL is not a PostgreSQL database; only PostgreSQL is backed up this way"
        exit 2
        ;;
esac

pg_tool() {
    local found
    found="$(compgen -G "/usr/lib/postgresql/*/bin/$1" | sort -V | tail -n 1 || true)"
    if [ -n "$found" ]; then echo "$found"; else command -v "$1"; fi
}
PG_DUMP="${PG_DUMP:-$(pg_tool pg_dump)}"
PG_RESTORE="$(dirname "$PG_DUMP")/pg_restore"
[ -x "$PG_RESTORE" ] || PG_RESTORE="$(pg_tool pg_restore)"

file="${1:-backups/iro-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT
umask 077

"$PG_DUMP" --format=custom --compress=6 --no-password --file="$partial" --dbname="$url"
"$PG_RESTORE" --list "$partial" >/dev/null  # read back: a complete, readable archive
mv "$partial" "$file"
trap - EXIT
log "backed up to $file ($(du -h "$file" | cut -f1))"
echo "$file"
