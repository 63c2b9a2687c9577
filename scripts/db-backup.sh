#!/usr/bin/env bash
# Backs up the service's two databases as separate, encrypted, checksummed artefacts:
#   $BACKUP_DIR/data/<db>-<UTC stamp>.dump.gpg        the data database (PHI as ciphertext, no keys)
#   $BACKUP_DIR/keys/<db>_keys-<UTC stamp>.dump.gpg   the key store (wrapped patient and clinic keys)
# each a pg_dump custom-format (-Fc) archive encrypted with OpenPGP AES-256 (gpg, with the
# modification detection code), with <artefact>.sha256 and <artefact>.manifest.json (database, time,
# versions, size, checksum; no PHI) beside it. The data is dumped before the key store, so every
# patient in a data dump has its key in the key-store dump of the same run.
# Then applies retention to each directory (deletes only this database's own artefacts) and, when
# BACKUP_S3_URI is set, uploads the new artefacts with the aws CLI.
#
# Usage: scripts/db-backup.sh            (make db-backup)
# Environment:
#   DATABASE_NAME (healthcare), DATABASE_HOST (127.0.0.1), DATABASE_PORT (5432)
#   DATABASE_ADMIN_USER (postgres)   role pg_dump connects as: a superuser, or a backup role with
#                                    BYPASSRLS and pg_read_all_data (docs/runbooks/backup-and-restore.md);
#                                    its password from PGPASSWORD or ~/.pgpass
#   BACKUP_PASSPHRASE_FILE           file holding the data passphrase (required; or BACKUP_PASSPHRASE)
#   BACKUP_KEYS_PASSPHRASE_FILE      file holding the key-store passphrase (or BACKUP_KEYS_PASSPHRASE;
#                                    default: the data passphrase; a separate one is recommended)
#   BACKUP_DIR (var/backups)
#   BACKUP_KEEP_DAYS (35) / BACKUP_KEEP_COUNT (35)            retention of data backups
#   BACKUP_KEYS_KEEP_DAYS (30) / BACKUP_KEYS_KEEP_COUNT (30)  retention of key-store backups: short,
#                                    because a key-store backup keeps erased patients readable
#   BACKUP_S3_URI                    e.g. s3://bucket/healthcare (unset: no upload); artefacts go to
#                                    <uri>/data/ and <uri>/keys/ (or BACKUP_S3_KEYS_URI for keys)
#   BACKUP_S3_ENDPOINT               --endpoint-url for S3-compatible storage (MinIO, Ceph, ...)
# Exit status: 0 when both artefacts were written, verified (and uploaded); 1 otherwise.
set -euo pipefail
# shellcheck disable=SC2034 # read by backup/common.sh
HB_TOOL="db-backup"
# shellcheck source=scripts/backup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup/common.sh"

db="${DATABASE_NAME:-healthcare}"
keys_db="${db}_keys"
backup_dir="${BACKUP_DIR:-var/backups}"

hb_check_db_name "$db"
hb_require psql pg_dump gpg gpgconf sha256sum
for n in BACKUP_KEEP_DAYS BACKUP_KEEP_COUNT BACKUP_KEYS_KEEP_DAYS BACKUP_KEYS_KEEP_COUNT; do
  [[ -z "${!n:-}" || "${!n}" =~ ^[1-9][0-9]*$ ]] || hb_die "$n must be a whole number of at least 1 (got '${!n}')"
done
hb_workdir
data_pass=$(hb_passphrase_file data)
keys_pass=$(hb_passphrase_file keys)
hb_note_shared_passphrase
if [[ -n "${BACKUP_S3_URI:-}" ]]; then
  [[ "$BACKUP_S3_URI" =~ ^s3://[^/]+ ]] || hb_die "BACKUP_S3_URI must look like s3://bucket/prefix"
  hb_require aws
fi
hb_check_server
for d in "$db" "$keys_db"; do
  [[ "$(hb_psql -d postgres -tAc "select count(*) from pg_database where datname = '$d'")" == 1 ]] \
    || hb_die "database $d does not exist on $HB_PG_HOST:$HB_PG_PORT"
done
server_version=$(hb_psql -d postgres -tAc 'show server_version')
dump_version=$(pg_dump --version | sed 's/^pg_dump (PostgreSQL) //')

mkdir -p "$backup_dir/data" "$backup_dir/keys"
chmod 700 "$backup_dir" "$backup_dir/data" "$backup_dir/keys" 2>/dev/null || true
# One stamp for both artefacts of the run; a run in the same second as the last one waits for the next.
for _ in 1 2 3; do
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  [[ -e "$backup_dir/data/$db-$stamp.dump.gpg" || -e "$backup_dir/keys/$keys_db-$stamp.dump.gpg" ]] || break
  sleep 1
done

# dump_one <kind> <database> <passphrase file>: writes, verifies and describes one artefact.
dump_one() {
  local kind="$1" database="$2" passfile="$3"
  local dir="$backup_dir/$kind" name="$database-$stamp.dump.gpg"
  local partial="$dir/.$name.partial" started ended magic size sum
  HB_CLEANUP_EXTRA="rm -f '$partial'"
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # Streamed: the plain dump never touches the disk.
  pg_dump -h "$HB_PG_HOST" -p "$HB_PG_PORT" -U "$HB_PG_ADMIN" --no-password -Fc -Z 6 -d "$database" \
    | hb_encrypt "$passfile" "$partial" || hb_die "pg_dump or encryption of $database failed"
  # Readable again with the passphrase: decrypts (checking the MDC) and finds a pg_dump archive.
  magic=$(hb_decrypt "$passfile" "$partial" | { head -c 5; cat >/dev/null; }) \
    || hb_die "the new artefact of $database does not decrypt"
  [[ "$magic" == PGDMP ]] || hb_die "the new artefact of $database is not a pg_dump archive after decryption"
  ended=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  mv "$partial" "$dir/$name"
  # shellcheck disable=SC2034 # read by hb_cleanup
  HB_CLEANUP_EXTRA=""
  sum=$(sha256sum "$dir/$name" | cut -d' ' -f1)
  printf '%s  %s\n' "$sum" "$name" >"$dir/$name.sha256"
  size=$(stat -c %s "$dir/$name")
  cat >"$dir/$name.manifest.json" <<JSON
{
  "format": "healthcare-backend-backup/1",
  "kind": "$kind",
  "database": "$database",
  "stamp": "$stamp",
  "startedAt": "$started",
  "finishedAt": "$ended",
  "postgresServerVersion": "$server_version",
  "pgDumpVersion": "$dump_version",
  "dumpFormat": "custom",
  "encryption": "OpenPGP symmetric AES-256 with MDC (gpg), S2K SHA-512 iterated+salted",
  "artefact": "$name",
  "bytes": $size,
  "sha256": "$sum"
}
JSON
  chmod 600 "$dir/$name" "$dir/$name.sha256" "$dir/$name.manifest.json"
  echo "db-backup: wrote $dir/$name ($size bytes, sha256 $sum)"
}

# retain <kind> <database> <keep days> <keep count>: deletes this database's artefacts of that kind
# that are older than <keep days> or not among the newest <keep count>. Other files are left alone.
retain() {
  local kind="$1" database="$2" days="$3" count="$4" dir="$backup_dir/$1"
  local cutoff rank=0 f s base
  cutoff=$(date -u -d "-$days days" +%Y%m%dT%H%M%SZ)
  # Newest first: the stamp sorts as text in time order.
  while IFS= read -r f; do
    base="${f%.dump.gpg}"
    s="${base##*-}"
    rank=$((rank + 1))
    if (( rank > count )) || [[ "$s" < "$cutoff" ]]; then
      rm -f "$dir/$f" "$dir/$f.sha256" "$dir/$f.manifest.json"
      echo "db-backup: retention removed $kind/$f"
    fi
  done < <(find "$dir" -maxdepth 1 -type f -printf '%f\n' \
    | grep -E "^${database}-${HB_STAMP_RE}\.dump\.gpg$" | sort -r)
}

upload() {
  local kind="$1" database="$2" uri="$3" name="$2-$stamp.dump.gpg"
  local -a endpoint=()
  [[ -z "${BACKUP_S3_ENDPOINT:-}" ]] || endpoint=(--endpoint-url "$BACKUP_S3_ENDPOINT")
  # The artefact, its checksum and its manifest in one call.
  aws "${endpoint[@]}" s3 cp --only-show-errors --recursive --exclude '*' --include "$name" \
    --include "$name.sha256" --include "$name.manifest.json" "$backup_dir/$kind/" "${uri%/}/" \
    || hb_die "upload of $kind/$name to ${uri%/}/ failed (the local artefact is kept)"
  echo "db-backup: uploaded $kind/$name (+ .sha256, .manifest.json) to ${uri%/}/"
}

dump_one data "$db" "$data_pass"
dump_one keys "$keys_db" "$keys_pass"
retain data "$db" "${BACKUP_KEEP_DAYS:-35}" "${BACKUP_KEEP_COUNT:-35}"
retain keys "$keys_db" "${BACKUP_KEYS_KEEP_DAYS:-30}" "${BACKUP_KEYS_KEEP_COUNT:-30}"
if [[ -n "${BACKUP_S3_URI:-}" ]]; then
  upload data "$db" "${BACKUP_S3_URI%/}/data"
  upload keys "$keys_db" "${BACKUP_S3_KEYS_URI:-${BACKUP_S3_URI%/}/keys}"
fi
echo "db-backup: done, stamp $stamp (restore: make db-restore BACKUP=$stamp TARGET_DB=<new database>)"
