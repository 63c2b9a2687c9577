#!/usr/bin/env bash
# Creates the database and the three roles the service needs, if they are missing. Idempotent.
#   hb_owner   owns the schema; Flyway migrates as this role. Never used by the running service.
#   hb_app     the service's login: only the privileges the migrations grant, subject to RLS.
#   hb_definer NOLOGIN, BYPASSRLS: owns the few SECURITY DEFINER functions that must look across
#              clinics (login by e-mail, cleanup jobs, global metrics), and nothing else.
# Usage: scripts/db-init.sh [database-name]
# Connects as a superuser: DATABASE_ADMIN_USER (default postgres) on DATABASE_HOST:DATABASE_PORT.
set -euo pipefail

db="${1:-${DATABASE_NAME:-healthcare}}"
host="${DATABASE_HOST:-127.0.0.1}"
port="${DATABASE_PORT:-5432}"
admin="${DATABASE_ADMIN_USER:-postgres}"
owner="${DATABASE_MIGRATION_USER:-hb_owner}"
owner_pw="${DATABASE_MIGRATION_PASSWORD:-hb_owner_dev}"
app="${DATABASE_USER:-hb_app}"
app_pw="${DATABASE_PASSWORD:-hb_app_dev}"
definer="${DATABASE_DEFINER_ROLE:-hb_definer}"

if ! command -v psql >/dev/null 2>&1; then
  echo "db-init: psql not found. Install the PostgreSQL client (Debian: apt-get install postgresql-client)." >&2
  exit 1
fi
if ! [[ "$db" =~ ^[a-z_][a-z0-9_]{0,57}$ ]]; then
  echo "db-init: database name must match [a-z_][a-z0-9_]* (at most 58 characters: '_keys' is appended for the key store) (got '$db')" >&2
  exit 1
fi

psql_admin() { psql -h "$host" -p "$port" -U "$admin" -v ON_ERROR_STOP=1 -q "$@"; }

if ! psql_admin -d postgres -c 'select 1' >/dev/null 2>&1; then
  echo "db-init: cannot reach PostgreSQL at $host:$port as '$admin'." >&2
  echo "         Start it (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start) or set DATABASE_HOST/PORT." >&2
  exit 1
fi

psql_admin -d postgres -v owner="$owner" -v owner_pw="$owner_pw" -v app="$app" -v app_pw="$app_pw" \
  -v definer="$definer" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'owner_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOBYPASSRLS', :'app', :'app_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE ROLE %I NOLOGIN BYPASSRLS', :'definer')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'definer') \gexec
SELECT format('GRANT %I TO %I', :'definer', :'owner') \gexec
SQL

# The data database and, beside it, the key store "<db>_keys" (wrapped PHI keys only). They are
# separate so that backups of the data never contain patient keys: erasing a patient deletes its
# key, and every backup of the data becomes unreadable for that patient.
for target in "$db" "${db}_keys"; do
  if ! psql_admin -d postgres -tAc "select 1 from pg_database where datname = '$target'" | grep -q 1; then
    psql_admin -d postgres -c "CREATE DATABASE \"$target\" OWNER \"$owner\""
    echo "db-init: created database $target"
  fi
done

psql_admin -d "$db" -v owner="$owner" -v app="$app" -v definer="$definer" <<'SQL'
CREATE EXTENSION IF NOT EXISTS btree_gist;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', :'definer') \gexec
SQL

psql_admin -d "${db}_keys" -v owner="$owner" -v app="$app" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', :'owner') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
SQL
