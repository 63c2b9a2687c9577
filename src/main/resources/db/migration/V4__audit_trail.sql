-- The audit trail. Append-only: the service may only INSERT and SELECT, and a trigger rejects
-- UPDATE, DELETE and TRUNCATE for everyone (a superuser who disables it is caught by the chain).
--
-- Writers never serialize on a chain: each row records the transaction that wrote it (tx). A
-- background sealer takes the rows whose transactions all ended (tx below the oldest running
-- transaction, pg_snapshot_xmin), orders them by (tx, id), and appends them per clinic to
-- audit_chain, where each row's hash is SHA-256(previous hash || canonical event). Signed
-- checkpoints of the chain heads go to a store outside the database.
CREATE TABLE audit_events (
    id            uuid        NOT NULL,
    clinic_id     uuid,
    at            timestamptz NOT NULL,
    actor_id      uuid,
    actor_role    text,
    action        text        NOT NULL,
    resource_type text,
    resource_id   uuid,
    patient_id    uuid,
    outcome       text        NOT NULL,
    ip            text,
    user_agent    text,
    trace_id      text,
    emergency     boolean     NOT NULL DEFAULT false,
    reason        text,
    tx            xid8        NOT NULL DEFAULT pg_current_xact_id()
) PARTITION BY RANGE (at);
-- No primary key: ids are UUIDv7 made by the service, and every index costs each audited request
-- an update. Lookups go by clinic and time; a duplicated row is caught by verification (the chain
-- then meets one link twice).
CREATE INDEX audit_events_by_clinic ON audit_events (clinic_id, at, id);
CREATE INDEX audit_events_by_patient ON audit_events (clinic_id, patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_events_by_actor ON audit_events (clinic_id, actor_id, at) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_events_by_tx ON audit_events (tx);
SELECT isolate_by_clinic('audit_events', 'clinic_id IS NOT DISTINCT FROM current_clinic()');
GRANT SELECT, INSERT ON audit_events TO ${appRole};
GRANT SELECT ON audit_events TO ${definerRole};

-- One chain per clinic; platform-level events (clinic_id NULL) form the chain of the nil UUID.
-- Partitioned like the events, so a month's events and their chain rows leave together.
CREATE TABLE audit_chain (
    chain_id  uuid        NOT NULL,
    seq       bigint      NOT NULL,
    event_id  uuid        NOT NULL,
    event_at  timestamptz NOT NULL,
    prev_hash bytea       NOT NULL,
    hash      bytea       NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, seq, event_at)
) PARTITION BY RANGE (event_at);
SELECT isolate_by_clinic('audit_chain',
    'chain_id = coalesce(current_clinic(), ''00000000-0000-0000-0000-000000000000''::uuid)');
GRANT SELECT, INSERT ON audit_chain TO ${appRole};
GRANT SELECT ON audit_chain TO ${definerRole};

CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Creates the monthly partitions (events and chain) covering [p_from, p_from + p_months). Runs
-- as the schema owner so the service can keep partitions ahead of time without owning tables.
CREATE FUNCTION audit_ensure_partitions(p_from date, p_months integer) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    month_start date;
    created integer := 0;
    suffix text;
BEGIN
    FOR i IN 0 .. p_months - 1 LOOP
        month_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
        suffix := to_char(month_start, '"y"YYYY"m"MM');
        IF to_regclass('audit_events_' || suffix) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                'audit_events_' || suffix, month_start, (month_start + interval '1 month')::date);
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_chain FOR VALUES FROM (%L) TO (%L)',
                'audit_chain_' || suffix, month_start, (month_start + interval '1 month')::date);
            EXECUTE format('CREATE TRIGGER no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                'EXECUTE FUNCTION audit_reject_change()', 'audit_events_' || suffix);
            EXECUTE format('CREATE TRIGGER no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                'EXECUTE FUNCTION audit_reject_change()', 'audit_chain_' || suffix);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;
REVOKE ALL ON FUNCTION audit_ensure_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(date, integer) TO ${appRole};
SELECT audit_ensure_partitions((now() - interval '1 month')::date, 4);

-- The sealer's progress: every event with tx below the horizon is in the chain.
CREATE TABLE audit_seal_state (
    id                 integer     PRIMARY KEY CHECK (id = 1),
    horizon            xid8        NOT NULL,
    last_checkpoint_at timestamptz NOT NULL
);
INSERT INTO audit_seal_state VALUES (1, '0', '-infinity');
GRANT SELECT, UPDATE ON audit_seal_state TO ${appRole};

-- Chain heads: where the next sealed event of each clinic links on. A convenience for the sealer;
-- verification never trusts it (it recomputes from audit_chain and the signed checkpoints).
CREATE TABLE audit_chain_heads (
    chain_id         uuid        PRIMARY KEY,
    seq              bigint      NOT NULL,
    hash             bytea       NOT NULL,
    event_at         timestamptz NOT NULL,
    checkpointed_seq bigint      NOT NULL DEFAULT 0
);
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO ${appRole};

-- Events written by transactions that have ended, across clinics, for the sealer.
CREATE FUNCTION audit_unsealed(p_from xid8, p_to xid8)
    RETURNS SETOF audit_events
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT * FROM audit_events WHERE tx >= p_from AND tx < p_to ORDER BY tx, id $$;
ALTER FUNCTION audit_unsealed(xid8, xid8) OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION audit_unsealed(xid8, xid8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed(xid8, xid8) TO ${appRole};

-- Break-glass grants: a user may open one patient's record for a limited time, with a reason.
CREATE TABLE emergency_grants (
    id         uuid PRIMARY KEY,
    clinic_id  uuid        NOT NULL REFERENCES clinics (id),
    user_id    uuid        NOT NULL,
    patient_id uuid        NOT NULL,
    reason     text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    granted_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX emergency_grants_by_user ON emergency_grants (clinic_id, user_id, expires_at);
SELECT isolate_by_clinic('emergency_grants');
GRANT SELECT, INSERT ON emergency_grants TO ${appRole};
