#!/usr/bin/env bash
# PostgreSQL primary init hook (compose.prod.yaml only), run once by the official image's
# entrypoint on an empty data directory, after init-db.sh: creates the streaming-replication login
# (REPLICATION, no other privilege), a physical replication slot per replica (the primary keeps
# the WAL a replica has not received yet, bounded by max_slot_wal_keep_size) and the pg_hba.conf
# line letting it connect from the primary's own subnets (the Compose backend network).
# Usage: run by the postgres image's entrypoint.
# Env:   POSTGRES_USER (superuser), REPLICATION_USER (default replicator), REPLICATION_SLOTS
#        (default replica_1; comma separated), PGHOST_DIR (default /var/run/postgresql),
#        SECRETS_DIR (default /run/secrets): the password is read from REPLICATION_PASSWORD there.
#        PGDATA (set by the image): where pg_hba.conf lives.
set -euo pipefail

secrets="${SECRETS_DIR:-/run/secrets}"
user="${REPLICATION_USER:-replicator}"
if [ ! -r "$secrets/REPLICATION_PASSWORD" ]; then
  echo "init-replication: secret REPLICATION_PASSWORD is missing in $secrets." >&2
  exit 1
fi
password="$(cat "$secrets/REPLICATION_PASSWORD")"

psql -h "${PGHOST_DIR:-/var/run/postgresql}" -p "${PGPORT:-5432}" -U "${POSTGRES_USER:-postgres}" -d postgres \
  -v ON_ERROR_STOP=1 -q -o /dev/null -v user="$user" -v password="$password" -v slots="${REPLICATION_SLOTS:-replica_1}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN REPLICATION PASSWORD %L', :'user', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT pg_create_physical_replication_slot(slot)
  FROM unnest(string_to_array(:'slots', ',')) AS slot
 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = slot);
SQL

hba="${PGDATA:?PGDATA is not set}/pg_hba.conf"
line="host replication $user samenet scram-sha-256"
grep -qxF "$line" "$hba" || echo "$line" >>"$hba"
echo "init-replication: role $user, slots ${REPLICATION_SLOTS:-replica_1}, pg_hba.conf updated"
