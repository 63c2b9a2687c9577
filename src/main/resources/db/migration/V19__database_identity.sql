-- The database's own identity: one random id, created once with the database and kept by every
-- backup and restore of it (pg_dump copies the row; a replica or a point-in-time recovery is the
-- same database). Files kept outside the database are bound to it: the audit checkpoint store
-- (AUDIT_CHECKPOINT_DIR/database-id) and the generated development keys ("databaseId" in each),
-- so a store or key of another database is refused at start instead of being mixed in. The
-- per-database default paths (var/databases/<id>/...) are named after it. Not tenant data: no RLS.
-- PostgreSQL's system_identifier would not do: it names the cluster, shared by all its databases.
CREATE TABLE database_identity (
    only_row   boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO database_identity DEFAULT VALUES;

GRANT SELECT ON database_identity TO ${appRole};
