#!/usr/bin/env bash
# Creates the databases and roles the service needs, the way scripts/db-init.sh does for a local
# PostgreSQL, but inside the PostgreSQL pod: the official image runs every executable file of
# /docker-entrypoint-initdb.d once, when the data directory is first initialised (psql reaches
# that temporary server through the Unix socket as POSTGRES_USER). Idempotent, so it can also be
# run by hand against an existing server (PGHOST, PGPORT, PGUSER as usual).
#   hb_owner   owns the schema; Flyway migrates as this role. Never used by the running service.
#   hb_app     the service's login: NOBYPASSRLS, only the privileges the migrations grant.
#   hb_definer NOLOGIN, BYPASSRLS: owns the few cross-clinic SECURITY DEFINER functions.
#   hb_monitor the metrics exporter's login (pg_monitor), nothing else.
# Env: HB_OWNER_PASSWORD, HB_APP_PASSWORD, HB_MONITOR_PASSWORD (required; from the Secrets),
#      HB_DATABASE (default healthcare; the key store is "<name>_keys"), POSTGRES_USER (superuser).
set -euo pipefail

db="${HB_DATABASE:-healthcare}"
: "${HB_OWNER_PASSWORD:?HB_OWNER_PASSWORD is not set (Secret healthcare-backend-secrets, key DATABASE_MIGRATION_PASSWORD)}"
: "${HB_APP_PASSWORD:?HB_APP_PASSWORD is not set (Secret healthcare-backend-secrets, key DATABASE_PASSWORD)}"
: "${HB_MONITOR_PASSWORD:?HB_MONITOR_PASSWORD is not set (Secret postgresql-auth, key MONITOR_PASSWORD)}"
if ! [[ "$db" =~ ^[a-z_][a-z0-9_]{0,57}$ ]]; then
  echo "init-healthcare-backend: HB_DATABASE must match [a-z_][a-z0-9_]* (got '$db')" >&2
  exit 1
fi

run_psql() { psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --no-password "$@"; }

run_psql --dbname postgres -v owner_pw="$HB_OWNER_PASSWORD" -v app_pw="$HB_APP_PASSWORD" \
  -v monitor_pw="$HB_MONITOR_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE hb_owner LOGIN PASSWORD %L', :'owner_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hb_owner') \gexec
SELECT format('CREATE ROLE hb_app LOGIN PASSWORD %L NOBYPASSRLS', :'app_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hb_app') \gexec
SELECT 'CREATE ROLE hb_definer NOLOGIN BYPASSRLS'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hb_definer') \gexec
SELECT format('CREATE ROLE hb_monitor LOGIN PASSWORD %L', :'monitor_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hb_monitor') \gexec
GRANT hb_definer TO hb_owner;
GRANT pg_monitor TO hb_monitor;
SQL

for target in "$db" "${db}_keys"; do
  run_psql --dbname postgres -v target="$target" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER hb_owner', :'target')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'target') \gexec
SQL
done

run_psql --dbname "$db" <<'SQL'
CREATE EXTENSION IF NOT EXISTS btree_gist;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO hb_app;
GRANT USAGE, CREATE ON SCHEMA public TO hb_definer;
SQL

run_psql --dbname "${db}_keys" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO hb_owner;
GRANT USAGE ON SCHEMA public TO hb_app;
SQL
echo "init-healthcare-backend: databases $db and ${db}_keys and their roles are in place"
