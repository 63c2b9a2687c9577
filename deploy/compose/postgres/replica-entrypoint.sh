#!/usr/bin/env bash
# Entrypoint of the streaming replica in compose.prod.yaml (official postgres image). On the first
# start (empty data directory) it waits for the primary, copies it with
# `pg_basebackup -R` (which writes standby.signal and primary_conninfo) through the replication
# slot reserved for it, then hands over to the image's own entrypoint, which starts PostgreSQL as
# a hot standby following the primary. Later starts skip the copy.
# Usage: entrypoint: ["/opt/healthcare/replica-entrypoint.sh"] with the postgres command after it.
# Env:   PRIMARY_HOST (default postgres-primary), PRIMARY_PORT (5432), REPLICATION_USER
#        (replicator), REPLICATION_SLOT (replica_1), PRIMARY_WAIT_SECONDS (120), PGDATA (set by the
#        image), SECRETS_DIR (default /run/secrets): the password is read from REPLICATION_PASSWORD.
set -euo pipefail

secrets="${SECRETS_DIR:-/run/secrets}"
primary="${PRIMARY_HOST:-postgres-primary}"
port="${PRIMARY_PORT:-5432}"
user="${REPLICATION_USER:-replicator}"
data="${PGDATA:?PGDATA is not set}"
wait_seconds="${PRIMARY_WAIT_SECONDS:-120}"

if [ ! -s "$data/PG_VERSION" ]; then
  if [ ! -r "$secrets/REPLICATION_PASSWORD" ]; then
    echo "replica: secret REPLICATION_PASSWORD is missing in $secrets." >&2
    exit 1
  fi
  echo "replica: empty data directory; waiting up to ${wait_seconds}s for the primary $primary:$port"
  deadline=$((SECONDS + wait_seconds))
  until pg_isready -q -h "$primary" -p "$port"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "replica: the primary $primary:$port did not answer within ${wait_seconds}s." >&2
      exit 1
    fi
    sleep 2
  done
  mkdir -p "$data"
  chmod 0700 "$data"
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$data"
    as_postgres=(gosu postgres)
  fi
  echo "replica: copying the primary (pg_basebackup -R, slot ${REPLICATION_SLOT:-replica_1})"
  PGPASSWORD="$(cat "$secrets/REPLICATION_PASSWORD")" "${as_postgres[@]}" \
    pg_basebackup -h "$primary" -p "$port" -U "$user" -D "$data" -R -X stream \
    -S "${REPLICATION_SLOT:-replica_1}" --checkpoint=fast --no-password
fi
exec docker-entrypoint.sh "$@"
