-- Audit retention (issue #3, item 4). A month's partition holds every clinic's events of that
-- month, so it leaves only when the LONGEST retention of any clinic (and of the platform's own
-- events, which keep the 84-month default) has passed: a clinic's retention is a minimum keep
-- period, never a promise of deletion. Before a partition is dropped it is exported (compressed
-- NDJSON with signed checkpoints, verifiable without the database) and the export recorded here.

-- Months to keep a clinic's audit events. HIPAA requires six years (72 months); 30 years at most.
ALTER TABLE clinics ADD COLUMN audit_retention_months integer NOT NULL DEFAULT 84
    CHECK (audit_retention_months BETWEEN 72 AND 360);
GRANT SELECT (audit_retention_months) ON clinics TO ${definerRole};

-- The retention a month's partition must honour: the longest of any clinic's and the platform's.
CREATE FUNCTION audit_retention_longest_months() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT greatest(84, coalesce(max(audit_retention_months), 84)) FROM clinics $$;
ALTER FUNCTION audit_retention_longest_months() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION audit_retention_longest_months() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_retention_longest_months() TO ${appRole};

-- One row per exported month; audit_drop_partition refuses a month without one. Append-only.
CREATE TABLE audit_exports (
    month       date        PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
    file        text        NOT NULL,
    sha256      text        NOT NULL,
    events      bigint      NOT NULL,
    exported_at timestamptz NOT NULL
);
-- The last exported link of each chain: once the month is dropped, the live verifier continues
-- the chain from here instead of taking the first remaining link on trust.
CREATE TABLE audit_export_chains (
    month     date   NOT NULL REFERENCES audit_exports (month),
    chain_id  uuid   NOT NULL,
    first_seq bigint NOT NULL,
    last_seq  bigint NOT NULL,
    last_hash bytea  NOT NULL,
    PRIMARY KEY (chain_id, month)
);
GRANT SELECT, INSERT ON audit_exports, audit_export_chains TO ${appRole};
CREATE TRIGGER audit_exports_append_only BEFORE UPDATE OR DELETE ON audit_exports
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_export_chains_append_only BEFORE UPDATE OR DELETE ON audit_export_chains
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();

-- Every link and event of one month's partitions, across clinics, for the exporter. A full join:
-- an event without a link (or a link without its event) shows up with the other side null, and
-- the exporter refuses such a month. tableoid picks exactly the month's partitions whatever the
-- session time zone; the widened range only lets the planner skip the other partitions.
CREATE FUNCTION audit_month_export(p_month date)
    RETURNS TABLE (chain_id uuid, seq bigint, link_event_id uuid, prev_hash bytea, hash bytea,
                   id uuid, clinic_id uuid, at timestamptz, actor_id uuid, actor_role text, action text,
                   resource_type text, resource_id uuid, patient_id uuid, outcome text, ip text,
                   user_agent text, trace_id text, emergency boolean, reason text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    WITH bounds AS (
        SELECT date_trunc('month', p_month)::date - 1 AS lo,
               (date_trunc('month', p_month) + interval '1 month')::date + 1 AS hi,
               to_char(p_month, '"y"YYYY"m"MM') AS suffix
    ), l AS (
        SELECT c.* FROM audit_chain c, bounds b
        WHERE c.event_at >= b.lo AND c.event_at < b.hi AND c.tableoid = to_regclass('audit_chain_' || b.suffix)
    ), e AS (
        SELECT ev.* FROM audit_events ev, bounds b
        WHERE ev.at >= b.lo AND ev.at < b.hi AND ev.tableoid = to_regclass('audit_events_' || b.suffix)
    )
    SELECT l.chain_id, l.seq, l.event_id, l.prev_hash, l.hash,
           e.id, e.clinic_id, e.at, e.actor_id, e.actor_role, e.action, e.resource_type, e.resource_id,
           e.patient_id, e.outcome, e.ip, e.user_agent, e.trace_id, e.emergency, e.reason
    FROM l FULL JOIN e ON e.id = l.event_id AND e.at = l.event_at
    ORDER BY l.chain_id NULLS FIRST, l.seq
$$;
ALTER FUNCTION audit_month_export(date) OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION audit_month_export(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_month_export(date) TO ${appRole};

-- Drops one month's events and chain partitions. Owned by the schema owner (only the owner may
-- drop them). Refuses unless the month's export is recorded and still holds every event of the
-- partition, and never drops a month younger than HIPAA's six years whatever the caller claims.
CREATE FUNCTION audit_drop_partition(p_month date) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    month_start date := date_trunc('month', p_month)::date;
    suffix text := to_char(p_month, '"y"YYYY"m"MM');
    exported bigint;
    present bigint;
BEGIN
    IF month_start + interval '73 months' > now() THEN
        RAISE EXCEPTION 'audit partition % is younger than six years and is kept', suffix
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT events INTO exported FROM audit_exports WHERE month = month_start;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit partition % has no recorded export; export it before dropping it', suffix
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF to_regclass('audit_events_' || suffix) IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', 'audit_events_' || suffix) INTO present;
    IF present <> exported THEN
        RAISE EXCEPTION 'audit partition % holds % events but its export has %', suffix, present, exported
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('DROP TABLE %I', 'audit_events_' || suffix);
    EXECUTE format('DROP TABLE IF EXISTS %I', 'audit_chain_' || suffix);
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION audit_drop_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_drop_partition(date) TO ${appRole};
