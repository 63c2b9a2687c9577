#!/usr/bin/env bash
# Restores a backup written by scripts/db-backup.sh into a FRESH pair of databases: TARGET_DB (data)
# and TARGET_DB_keys (key store). Checks each artefact's SHA-256 (its .sha256 file and its manifest)
# before anything else, decrypts into a private temporary directory (a wrong passphrase or a modified
# file fails here, before the database is touched), creates the roles if missing (scripts/db-init.sh),
# restores with pg_restore in one transaction per database (all or nothing; owners, grants and
# row-level security policies as they were) and analyzes the result.
#
# Usage: scripts/db-restore.sh      (make db-restore BACKUP=<stamp>|latest TARGET_DB=<name>)
#   BACKUP=<stamp>|latest   a backup of DATABASE_NAME in BACKUP_DIR (data/ and keys/ of one stamp), or the
#                           path of a data artefact or of its .manifest.json, or
#   FILE=<path to .dump.gpg of the data> [KEYS_FILE=<path to .dump.gpg of the key store>]
#                           (KEYS_FILE defaults to the key-store artefact of FILE's stamp in ../keys/)
#   TARGET_DB=<name>        required; TARGET_DB and TARGET_DB_keys must not exist or be empty
#   RESTORE_OVERWRITE=yes   drop and recreate TARGET_DB and TARGET_DB_keys even if they hold data
# Environment: DATABASE_NAME (healthcare), BACKUP_DIR (var/backups), DATABASE_HOST/PORT,
#   DATABASE_ADMIN_USER (postgres, must be able to create databases and set owners: a superuser),
#   BACKUP_PASSPHRASE_FILE / BACKUP_KEYS_PASSPHRASE_FILE (or BACKUP_PASSPHRASE / BACKUP_KEYS_PASSPHRASE),
#   the role variables of scripts/db-init.sh (DATABASE_USER, DATABASE_MIGRATION_USER, ...) when they
#   differ from the defaults, TMPDIR (where the decrypted dumps live during the restore).
# Exit status: 0 restored; 1 refused or failed (nothing is left half-restored: each database is
# restored in one transaction).
set -euo pipefail
# shellcheck disable=SC2034 # read by backup/common.sh
HB_TOOL="db-restore"
here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/backup/common.sh
source "$here/backup/common.sh"

db="${DATABASE_NAME:-healthcare}"
backup_dir="${BACKUP_DIR:-var/backups}"
target="${TARGET_DB:-}"

usage="usage: make db-restore BACKUP=<stamp>|latest TARGET_DB=<new database>   or   FILE=<data .dump.gpg> [KEYS_FILE=<key-store .dump.gpg>] TARGET_DB=<new database>"
[[ -n "$target" ]] || hb_die "TARGET_DB is required. $usage"
hb_check_db_name "$target"
hb_require psql pg_restore gpg gpgconf sha256sum

# --- which artefacts -------------------------------------------------------------------------------
data_file="${FILE:-}"
keys_file="${KEYS_FILE:-}"
# BACKUP may also name a set by its data artefact or manifest.
if [[ -z "$data_file" && "${BACKUP:-}" =~ \.dump\.gpg(\.manifest\.json)?$ ]]; then
  data_file="${BACKUP%.manifest.json}"
fi
if [[ -z "$data_file" ]]; then
  [[ -n "${BACKUP:-}" ]] || hb_die "$usage"
  stamp="$BACKUP"
  if [[ "$stamp" == latest ]]; then
    stamp=$(find "$backup_dir/data" -maxdepth 1 -type f -printf '%f\n' 2>/dev/null \
      | grep -E "^${db}-${HB_STAMP_RE}\.dump\.gpg$" | sort | tail -n 1 | sed -E "s/^${db}-(.*)\.dump\.gpg$/\1/") || true
    [[ -n "$stamp" ]] || hb_die "no backup of $db in $backup_dir/data"
  fi
  [[ "$stamp" =~ ^${HB_STAMP_RE}$ ]] || hb_die "BACKUP must be a stamp like 20260101T023000Z or 'latest' (got '$stamp')"
  data_file="$backup_dir/data/$db-$stamp.dump.gpg"
fi
[[ -f "$data_file" ]] || hb_die "no such backup: $data_file"
if [[ -z "$keys_file" ]]; then
  name=$(basename "$data_file" .dump.gpg)
  keys_file="$(dirname "$data_file")/../keys/${name%-*}_keys-${name##*-}.dump.gpg"
fi
[[ -f "$keys_file" ]] || hb_die "no key-store backup $keys_file (key-store backups expire sooner than data backups: pass KEYS_FILE= a key-store artefact taken at the same time or LATER than the data, never earlier)"

# --- integrity first: checksum file and manifest must both agree with the artefact ----------------
verify_artefact() {
  local file="$1" kind="$2" dir base sum manifest
  dir=$(dirname "$file"); base=$(basename "$file")
  [[ -f "$file.sha256" ]] || hb_die "$base has no checksum file $base.sha256: refusing an unverifiable artefact"
  (cd "$dir" && sha256sum --quiet --strict -c "$base.sha256" >/dev/null 2>&1) \
    || hb_die "checksum mismatch for $base: the file is damaged or was modified; refusing to restore it"
  sum=$(sha256sum "$file" | cut -d' ' -f1)
  manifest="$file.manifest.json"
  if [[ -f "$manifest" ]]; then
    [[ "$(hb_manifest_value "$manifest" sha256)" == "$sum" ]] || hb_die "$base does not match the checksum in its manifest"
    [[ "$(hb_manifest_value "$manifest" kind)" == "$kind" ]] || hb_die "$base is not a $kind backup (manifest says '$(hb_manifest_value "$manifest" kind)')"
  else
    hb_log "warning: $base has no manifest (checksum file verified)"
  fi
  echo "db-restore: checksum ok  $base"
}
verify_artefact "$data_file" data
verify_artefact "$keys_file" keys

hb_workdir
data_pass=$(hb_passphrase_file data)
keys_pass=$(hb_passphrase_file keys)
hb_note_shared_passphrase

# --- fresh targets only (checked now, dropped only once the backup has decrypted) ------------------
hb_check_server
exists() { [[ "$(hb_psql -d postgres -tAc "select count(*) from pg_database where datname = '$1'")" == 1 ]]; }
user_relations() {
  hb_psql -d "$1" -tAc "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'"
}
to_drop=()
for d in "$target" "${target}_keys"; do
  exists "$d" || continue
  if [[ "$(user_relations "$d")" != 0 && "${RESTORE_OVERWRITE:-}" != yes ]]; then
    hb_die "database $d exists and is not empty; restore into a new TARGET_DB, or set RESTORE_OVERWRITE=yes to drop it"
  fi
  to_drop+=("$d")
done

# --- decrypt to private files: a wrong passphrase or a modified file stops here -------------------
decrypt_artefact() {
  local passfile="$1" in="$2" out="$3"
  (umask 077; hb_decrypt "$passfile" "$in" "$out") 2>"$HB_WORK/gpg.err" || {
    rm -f "$out"
    hb_die "cannot decrypt $(basename "$in"): wrong passphrase or the file was modified ($(grep -m1 -oE 'decryption failed: [A-Za-z ]+|manipulated|Bad session key' "$HB_WORK/gpg.err" || echo 'gpg failed'))"
  }
  [[ "$(head -c 5 "$out")" == PGDMP ]] || hb_die "$(basename "$in") does not hold a pg_dump archive"
}
decrypt_artefact "$data_pass" "$data_file" "$HB_WORK/data.dump"
decrypt_artefact "$keys_pass" "$keys_file" "$HB_WORK/keys.dump"
echo "db-restore: decrypted   $(basename "$data_file") and $(basename "$keys_file")"

for d in "${to_drop[@]}"; do
  hb_log "dropping existing database $d"
  hb_psql -d postgres -c "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$d'" >/dev/null
  hb_psql -d postgres -c "drop database \"$d\""
done

# Roles (if missing), both databases, the extension and schema grants, exactly as for a new install.
"$here/db-init.sh" "$target" >/dev/null

restore_one() {
  local dump="$1" database="$2"
  pg_restore -h "$HB_PG_HOST" -p "$HB_PG_PORT" -U "$HB_PG_ADMIN" --no-password --exit-on-error \
    --single-transaction -d "$database" "$dump" 2>"$HB_WORK/restore.err" || {
    sed -E 's/^/  /' "$HB_WORK/restore.err" | head -n 20 >&2
    hb_die "pg_restore into $database failed; it ran in one transaction, so $database holds nothing of the backup (drop it, or retry with RESTORE_OVERWRITE=yes)"
  }
  hb_psql -d "$database" -c 'analyze' >/dev/null
  local tables rls
  tables=$(hb_psql -d "$database" -tAc "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')")
  rls=$(hb_psql -d "$database" -tAc "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relforcerowsecurity")
  echo "db-restore: restored    $database ($tables tables, $rls with forced row-level security)"
}
restore_one "$HB_WORK/data.dump" "$target"
restore_one "$HB_WORK/keys.dump" "${target}_keys"
echo "db-restore: done. Verify: DATABASE_NAME=$target make audit-verify (with the service's AUDIT_CHECKPOINT_DIR and keys); then point DATABASE_NAME at it."
