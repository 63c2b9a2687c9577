#!/usr/bin/env bash
# PostgreSQL container init hook, mounted into /docker-entrypoint-initdb.d/ by compose.dev.yaml and
# compose.prod.yaml. The official image runs it once, when the data directory is empty, against
# its temporary server (Unix socket only). It creates the service's roles and databases by running
# the repository's own scripts/db-init.sh (mounted at /opt/healthcare/db-init.sh): hb_owner,
# hb_app (NOBYPASSRLS), hb_definer (NOLOGIN BYPASSRLS), databases healthcare and healthcare_keys,
# the btree_gist extension and the grants — the same as `make db-init` on a laptop.
# Usage: run by the postgres image's entrypoint (or by hand: deploy/compose/postgres/init-db.sh).
# Env:   POSTGRES_USER (superuser; the image sets it), HB_DATABASE_NAME (default healthcare),
#        HB_DB_INIT (default /opt/healthcare/db-init.sh), PGHOST_DIR (default /var/run/postgresql),
#        SECRETS_DIR (default /run/secrets): DATABASE_PASSWORD and DATABASE_MIGRATION_PASSWORD are
#        read from files there when present; HB_REQUIRE_SECRETS=1 (production) makes them mandatory,
#        otherwise db-init.sh's development passwords apply.
set -euo pipefail

secrets="${SECRETS_DIR:-/run/secrets}"
db_init="${HB_DB_INIT:-/opt/healthcare/db-init.sh}"
if [ ! -r "$db_init" ]; then
  echo "init-db: $db_init is missing; mount scripts/db-init.sh there (see compose.*.yaml)." >&2
  exit 1
fi
for name in DATABASE_PASSWORD DATABASE_MIGRATION_PASSWORD; do
  if [ -r "$secrets/$name" ]; then
    export "$name=$(cat "$secrets/$name")"
  elif [ "${HB_REQUIRE_SECRETS:-0}" = "1" ]; then
    echo "init-db: secret $name is missing in $secrets (deploy/compose/generate-secrets.sh writes it)." >&2
    exit 1
  fi
done
DATABASE_HOST="${PGHOST_DIR:-/var/run/postgresql}" DATABASE_PORT="${PGPORT:-5432}" \
  DATABASE_ADMIN_USER="${POSTGRES_USER:-postgres}" bash "$db_init" "${HB_DATABASE_NAME:-healthcare}"
