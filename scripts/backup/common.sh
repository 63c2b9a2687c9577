#!/usr/bin/env bash
# Shared functions of scripts/db-backup.sh and scripts/db-restore.sh (sourced, not run).
# Reads: DATABASE_HOST, DATABASE_PORT, DATABASE_ADMIN_USER (the role pg_dump/pg_restore connect as;
# it must read every table despite row-level security: a superuser, or a role with BYPASSRLS and
# pg_read_all_data for backups), the passphrase variables (see passphrase_source), and the libpq
# variables PGPASSWORD/PGPASSFILE for the connection's password. Nothing here prints a secret.
set -euo pipefail

HB_PG_HOST="${DATABASE_HOST:-127.0.0.1}"
HB_PG_PORT="${DATABASE_PORT:-5432}"
HB_PG_ADMIN="${DATABASE_ADMIN_USER:-postgres}"
# Artefact names: <database>-<UTC stamp>.dump.gpg, with .sha256 and .manifest.json beside it.
# shellcheck disable=SC2034 # used by the scripts that source this file
HB_STAMP_RE='[0-9]{8}T[0-9]{6}Z'

hb_log() { echo "${HB_TOOL:-backup}: $*" >&2; }
hb_die() { echo "${HB_TOOL:-backup}: ERROR: $*" >&2; exit 1; }

# Requires each named command; as root, installs the Debian package that provides it.
hb_require() {
  local cmd pkg
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 && continue
    case "$cmd" in
      gpg|gpgconf) pkg=gnupg ;;
      psql|pg_dump|pg_restore) pkg=postgresql-client ;;
      sha256sum|stat|date) pkg=coreutils ;;
      aws) pkg=awscli ;;
      *) pkg="" ;;
    esac
    if [[ -n "$pkg" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      hb_log "$cmd not found; installing the Debian package $pkg"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null \
        || hb_die "could not install $pkg (run apt-get update first?)"
    fi
    command -v "$cmd" >/dev/null 2>&1 || hb_die "$cmd not found. Install it (Debian: apt-get install ${pkg:-$cmd})."
  done
}

hb_psql() { psql -X -h "$HB_PG_HOST" -p "$HB_PG_PORT" -U "$HB_PG_ADMIN" -v ON_ERROR_STOP=1 -q "$@"; }

hb_check_server() {
  hb_psql -d postgres -tAc 'select 1' >/dev/null 2>&1 \
    || hb_die "cannot reach PostgreSQL at $HB_PG_HOST:$HB_PG_PORT as '$HB_PG_ADMIN' (set DATABASE_HOST/DATABASE_PORT/DATABASE_ADMIN_USER; the password comes from PGPASSWORD or ~/.pgpass)"
}

hb_check_db_name() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,57}$ ]] || hb_die "database name must match [a-z_][a-z0-9_]* (got '$1')"
}

# The passphrase of one kind of artefact ("data" or "keys"), as a file gpg reads. The file comes from
# BACKUP_PASSPHRASE_FILE (data) / BACKUP_KEYS_PASSPHRASE_FILE (key store, falls back to the data one),
# or is written from BACKUP_PASSPHRASE / BACKUP_KEYS_PASSPHRASE into the private work directory
# ($HB_WORK, mode 700). Refuses when none is set: there is no unencrypted backup.
hb_passphrase_file() {
  local kind="$1" file
  if [[ "$kind" == keys ]]; then
    file="${BACKUP_KEYS_PASSPHRASE_FILE:-}"
    if [[ -z "$file" && -n "${BACKUP_KEYS_PASSPHRASE:-}" ]]; then
      file="$HB_WORK/keys.pass"; (umask 077; printf '%s' "$BACKUP_KEYS_PASSPHRASE" >"$file")
    fi
    [[ -n "$file" ]] || kind=data
  fi
  if [[ "$kind" == data ]]; then
    file="${BACKUP_PASSPHRASE_FILE:-}"
    if [[ -z "$file" && -n "${BACKUP_PASSPHRASE:-}" ]]; then
      file="$HB_WORK/data.pass"; (umask 077; printf '%s' "$BACKUP_PASSPHRASE" >"$file")
    fi
    [[ -n "$file" ]] || hb_die "no passphrase: set BACKUP_PASSPHRASE_FILE (a file holding the passphrase; make backup-passphrase prints a new one). Backups are never written unencrypted."
  fi
  [[ -r "$file" ]] || hb_die "passphrase file $file is not readable"
  local length
  length=$(head -n 1 "$file" | tr -d '\r\n' | wc -c)
  (( length >= 16 )) || hb_die "the passphrase in $file is shorter than 16 characters (make backup-passphrase prints a strong one)"
  if [[ "$(stat -c %a "$file")" =~ [1-7]$ ]]; then
    hb_log "warning: $file is readable by other users (chmod 600 it)"
  fi
  printf '%s' "$file"
}

# Says once when the key store shares the data passphrase.
hb_note_shared_passphrase() {
  [[ -n "${BACKUP_KEYS_PASSPHRASE_FILE:-}${BACKUP_KEYS_PASSPHRASE:-}" ]] \
    || hb_log "note: the key store uses the data passphrase; a separate BACKUP_KEYS_PASSPHRASE_FILE is recommended"
}

# gpg with a throw-away home (no keyring, no agent left behind, no passphrase cached).
hb_gpg() {
  gpg --homedir "$HB_WORK/gnupg" --batch --quiet --no-tty --pinentry-mode loopback --no-symkey-cache "$@"
}

# stdin → OpenPGP symmetric AES-256 (with the modification detection code, so any change to the
# file fails decryption), passphrase stretched by iterated+salted S2K with SHA-512.
hb_encrypt() {
  local passfile="$1" out="$2"
  hb_gpg --passphrase-file "$passfile" --symmetric --cipher-algo AES256 --s2k-mode 3 --s2k-digest-algo SHA512 \
    --s2k-count 65011712 --compress-algo none --force-mdc --output "$out"
}

# Decrypts $2 to stdout (or to the file $3); fails on a wrong passphrase or a modified file.
hb_decrypt() {
  local passfile="$1" in="$2" out="${3:--}"
  if [[ "$out" == - ]]; then
    hb_gpg --passphrase-file "$passfile" --decrypt "$in"
  else
    hb_gpg --passphrase-file "$passfile" --output "$out" --decrypt "$in"
  fi
}

# A private work directory, removed (and its gpg-agent, if any, stopped) on exit.
hb_workdir() {
  HB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/hb-backup.XXXXXX")
  chmod 700 "$HB_WORK"
  mkdir -m 700 "$HB_WORK/gnupg"
  trap hb_cleanup EXIT
}

hb_cleanup() {
  local status=$?
  if [[ -n "${HB_WORK:-}" && -d "$HB_WORK" ]]; then
    gpgconf --homedir "$HB_WORK/gnupg" --kill gpg-agent >/dev/null 2>&1 || true
    rm -rf "$HB_WORK"
  fi
  [[ -z "${HB_CLEANUP_EXTRA:-}" ]] || eval "$HB_CLEANUP_EXTRA" || true
  exit "$status"
}

# A value of the small flat JSON manifest ("key": "value" or "key": number).
hb_manifest_value() {
  sed -n -E "s/^[[:space:]]*\"$2\":[[:space:]]*\"?([^\",]*)\"?,?[[:space:]]*$/\1/p" "$1" | head -n 1
}
