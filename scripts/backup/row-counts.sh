#!/usr/bin/env bash
# Prints "<table> <rows>" for every table (partitions included) of a database, sorted by table
# name: compare a restore with its source (docs/runbooks/backup-and-restore.md):
#   diff <(scripts/backup/row-counts.sh healthcare) <(scripts/backup/row-counts.sh healthcare_restored)
# Usage: scripts/backup/row-counts.sh <database>
# Connects like db-backup.sh: DATABASE_HOST, DATABASE_PORT, DATABASE_ADMIN_USER (a role that reads
# every row despite row-level security), password from PGPASSWORD or ~/.pgpass. Prints no row data.
set -euo pipefail
# shellcheck disable=SC2034 # read by backup/common.sh
HB_TOOL="row-counts"
# shellcheck source=scripts/backup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

db="${1:?usage: scripts/backup/row-counts.sh <database>}"
hb_check_db_name "$db"
hb_require psql
hb_psql -d "$db" -tA -F ' ' <<'SQL'
SELECT c.relname,
       (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname;
SQL
