#!/usr/bin/env bash
# Point-in-time recovery drill (make pitr-drill). On a SCRATCH PostgreSQL cluster in a temporary
# directory (its own Unix socket, no TCP, never the real server): turns on WAL archiving with
# deploy/postgres/wal-archiving.conf and its archive/restore scripts, takes a base backup
# (pg_basebackup), commits rows one by one, picks a target time between them, makes more changes
# after it, loses the primary (immediate stop, data directory deleted), restores the base backup with
# recovery_target_time + recovery_target_action=promote, and checks the restored cluster holds
# exactly what was committed before the target. Prints RTO (start of restore → promoted and
# answering) and RPO (how long the last commit waited to reach the archive, bounded by
# archive_timeout), then "pitr-drill: RESULT PASS" (exit 0) or "RESULT FAIL" (exit 1). Cleans up
# everything it started or wrote.
#
# Usage: scripts/pitr-drill.sh
# Environment:
#   PG_BINDIR              PostgreSQL server binaries (default: pg_config --bindir, else the newest
#                          /usr/lib/postgresql/*/bin)
#   DRILL_ARCHIVE_TIMEOUT  archive_timeout of the drill (default: the one in wal-archiving.conf, 60s;
#                          the test uses 5s to stay fast)
#   DRILL_PORT             port number of the scratch cluster's socket (default 55432)
#   DRILL_ROWS             rows committed before and again after the target (default 10)
# As root, the clusters run as the postgres user (runuser), since PostgreSQL refuses to run as root.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fragment="$repo/deploy/postgres/wal-archiving.conf"
port="${DRILL_PORT:-55432}"
rows="${DRILL_ROWS:-10}"
log() { echo "pitr-drill: $*"; }
die() { echo "pitr-drill: ERROR: $*" >&2; echo "pitr-drill: RESULT FAIL"; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[[ "$port" =~ ^[0-9]+$ && "$rows" =~ ^[1-9][0-9]*$ ]] || die "DRILL_PORT and DRILL_ROWS must be numbers"
bindir="${PG_BINDIR:-}"
if [[ -z "$bindir" ]]; then
  bindir=$(pg_config --bindir 2>/dev/null || true)
  [[ -x "$bindir/initdb" ]] || bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
fi
for tool in initdb pg_ctl pg_basebackup psql; do
  [[ -x "$bindir/$tool" ]] || die "$tool not found in '${bindir:-?}': install the PostgreSQL server (Debian: apt-get install postgresql) or set PG_BINDIR"
done
[[ -f "$fragment" ]] || die "$fragment is missing"

# Who runs the clusters: never root.
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to run the scratch cluster (it comes with the Debian postgresql package)"
  as_pg=(runuser -u postgres --)
fi
run() { "${as_pg[@]}" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hb-pitr.XXXXXX")
chmod 700 "$work"
[[ ${#as_pg[@]} == 0 ]] || chown postgres: "$work"
cleanup() {
  local status=$? dir
  for dir in "$work/primary" "$work/restored"; do
    if [[ -f "$dir/postmaster.pid" ]]; then
      run "$bindir/pg_ctl" -D "$dir" -m immediate -t 30 stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/bin" "$work/archive" "$work/sock"
cp "$repo/deploy/postgres/archive-wal.sh" "$repo/deploy/postgres/restore-wal.sh" "$work/bin/"
# The production fragment, with the drill's directories in place of the installed paths.
sed -e "s#/usr/local/lib/healthcare-backend#$work/bin#g" -e "s#/var/lib/postgresql/wal-archive#$work/archive#g" \
  "$fragment" >"$work/wal-archiving.conf"
archive_timeout="${DRILL_ARCHIVE_TIMEOUT:-$(sed -n -E "s/^archive_timeout *= *'?([0-9a-z]+)'?.*/\1/p" "$fragment")}"
[[ "$archive_timeout" =~ ^[0-9]+(s|min)?$ ]] || die "archive_timeout '$archive_timeout' is not like 60s"
echo "archive_timeout = $archive_timeout" >>"$work/wal-archiving.conf"
[[ ${#as_pg[@]} == 0 ]] || chown -R postgres: "$work"

sql() { run "$bindir/psql" -X -h "$work/sock" -p "$port" -U postgres -d drill -v ON_ERROR_STOP=1 -qtA -c "$1"; }

# --- the primary, archiving --------------------------------------------------------------------------
run "$bindir/initdb" -D "$work/primary" -U postgres --auth=trust -E UTF8 --no-sync >"$work/initdb.log" 2>&1 \
  || die "initdb failed: $(tail -n 3 "$work/initdb.log")"
cat >>"$work/primary/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$work/sock'
shared_buffers = 32MB
include = '$work/wal-archiving.conf'
CONF
run "$bindir/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w -t 60 start >/dev/null \
  || die "the scratch primary did not start: $(tail -n 5 "$work/primary.log")"
version=$(run "$bindir/psql" -X -h "$work/sock" -p "$port" -U postgres -d postgres -qtAc 'show server_version')
log "scratch cluster: PostgreSQL $version in $work (Unix socket only, port $port), archive_mode on, archive_timeout $archive_timeout"
run "$bindir/psql" -X -h "$work/sock" -p "$port" -U postgres -d postgres -qc 'create database drill'
sql "create table drill_rows (id int primary key, committed_at timestamptz not null default clock_timestamp(), payload text not null)"

started=$(now)
run "$bindir/pg_basebackup" -h "$work/sock" -p "$port" -U postgres -D "$work/base" -Fp -X stream -c fast \
  >"$work/basebackup.log" 2>&1 || die "pg_basebackup failed: $(tail -n 3 "$work/basebackup.log")"
log "base backup: $(seconds "$started" "$(now)") s, $(du -sm "$work/base" | cut -f1) MB"

# --- commits before the target, the target, changes after it -----------------------------------------
for ((i = 1; i <= rows; i++)); do
  sql "insert into drill_rows (id, payload) values ($i, 'before')"
  sleep 0.05
done
target=$(sql "select clock_timestamp()")
sleep 0.5
for ((i = rows + 1; i <= 2 * rows; i++)); do
  sql "insert into drill_rows (id, payload) values ($i, 'after')"
  sleep 0.05
done
sql "update drill_rows set payload = 'changed after the target' where id = 1"
sql "delete from drill_rows where id = 2"
last_commit=$(now)
last_lsn_file=$(sql "select pg_walfile_name(pg_current_wal_lsn())")
log "$rows rows committed before the target $target; after it $rows more rows, 1 update and 1 delete"

# --- RPO: how long the last commit waits for the archive (archive_timeout switches the segment) ------
timeout_s=${archive_timeout//[!0-9]/}
[[ "$archive_timeout" != *min ]] || timeout_s=$(( timeout_s * 60 ))
deadline=$(( $(date +%s) + timeout_s + 30 ))
until [[ "$(sql "select coalesce(last_archived_wal, '') >= '$last_lsn_file' from pg_stat_archiver")" == t ]]; do
  (( $(date +%s) < deadline )) || die "the last commit's WAL segment was not archived within archive_timeout + 30 s (see $work/primary.log)"
  sleep 0.2
done
rpo=$(seconds "$last_commit" "$(now)")
failed=$(sql "select failed_count from pg_stat_archiver")
log "archive: the last commit's segment reached the archive after $rpo s ($(find "$work/archive" -maxdepth 1 -type f ! -name '.*' | wc -l) files, $failed failed attempts)"

# --- lose the primary ----------------------------------------------------------------------------------
run "$bindir/pg_ctl" -D "$work/primary" -m immediate -t 30 stop >/dev/null
rm -rf "$work/primary"
log "primary lost: stopped immediately and its data directory deleted"

# --- restore: base backup + archived WAL up to the target ----------------------------------------------
restore_started=$(now)
run cp -a "$work/base" "$work/restored"
cat >>"$work/restored/postgresql.conf" <<CONF
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
run touch "$work/restored/recovery.signal"
run "$bindir/pg_ctl" -D "$work/restored" -l "$work/restored.log" -w -t 120 start >/dev/null \
  || die "the restored cluster did not start: $(tail -n 5 "$work/restored.log")"
deadline=$(( $(date +%s) + 120 ))
until [[ "$(sql "select not pg_is_in_recovery()" 2>/dev/null || true)" == t ]]; do
  (( $(date +%s) < deadline )) || die "the restored cluster was not promoted within 120 s: $(tail -n 5 "$work/restored.log")"
  sleep 0.1
done
rto=$(seconds "$restore_started" "$(now)")
replayed=$(grep -c 'restored log file' "$work/restored.log" || true)

# --- exactly what was committed before the target ------------------------------------------------------
expected=$(seq -s, 1 "$rows")
present=$(sql "select coalesce(string_agg(id::text, ',' order by id), '') from drill_rows where id <= $rows")
after=$(sql "select count(*) from drill_rows where id > $rows")
undone=$(sql "select count(*) = 2 from drill_rows where (id = 1 and payload = 'before') or id = 2")
lost=$(( rows - $(sql "select count(*) from drill_rows where id <= $rows") ))
stopped_at=$(grep -o 'recovery stopping before commit of transaction [0-9]*, time [^"]*' "$work/restored.log" | head -n 1 || true)
log "recovery: ${stopped_at:-recovery target reached}; $replayed archived WAL files replayed"
log "restored: rows before the target present: $present (expected $expected); rows after the target: $after; update and delete after the target undone: $([[ $undone == t ]] && echo yes || echo no)"
log "RTO: $rto s from the start of the restore to promoted and answering (base backup $(du -sm "$work/base" | cut -f1) MB + WAL replay)"
log "RPO: $rpo s measured for the last commit (bound: archive_timeout = $archive_timeout); rows committed before the target lost: $lost"
if [[ "$present" == "$expected" && "$after" == 0 && "$undone" == t && "$lost" == 0 ]]; then
  log "RESULT PASS"
else
  log "RESULT FAIL"
  exit 1
fi
