-- Tenancy foundation. The application connects as ${appRole}, which owns nothing: it gets only the
-- privileges granted here, and row-level security is FORCEd so that even the table owner is filtered.
-- The current clinic is set per transaction by the application: set_config('app.clinic_id', id, true).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE FUNCTION current_clinic() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.clinic_id', true), '')::uuid $$;

-- Turns on forced row-level security for a tenant-owned table with one policy for reads and
-- writes. Every tenant table goes through here, so none can be created with a weaker policy.
CREATE FUNCTION isolate_by_clinic(p_table regclass, p_predicate text DEFAULT 'clinic_id = current_clinic()')
    RETURNS void LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', p_table, p_predicate, p_predicate);
END $$;
REVOKE ALL ON FUNCTION isolate_by_clinic(regclass, text) FROM PUBLIC;

CREATE TABLE clinics (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone  text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
SELECT isolate_by_clinic('clinics', 'id = current_clinic()');
GRANT SELECT, INSERT, UPDATE ON clinics TO ${appRole};

-- Staff users. Platform administrators belong to no clinic (clinic_id IS NULL); they are visible
-- only in a transaction with no clinic set, and clinic staff only to their own clinic.
CREATE TABLE staff_users (
    id            uuid PRIMARY KEY,
    clinic_id     uuid REFERENCES clinics (id),
    email         text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          text        NOT NULL CHECK (role IN ('PLATFORM_ADMIN', 'CLINIC_ADMIN', 'PRACTITIONER',
                                                       'RECEPTIONIST', 'COMPLIANCE_OFFICER')),
    password_hash text        NOT NULL,
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'PLATFORM_ADMIN') = (clinic_id IS NULL)),
    UNIQUE (clinic_id, id)
);
-- Login is by e-mail alone, so an address is unique across the whole deployment.
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));
CREATE INDEX staff_users_by_clinic ON staff_users (clinic_id, id);
SELECT isolate_by_clinic('staff_users', 'clinic_id IS NOT DISTINCT FROM current_clinic()');
GRANT SELECT, INSERT, UPDATE ON staff_users TO ${appRole};
GRANT SELECT ON staff_users TO ${definerRole};

-- Server-side sessions behind refresh tokens (the single-node store; Redis holds them when configured).
CREATE TABLE auth_sessions (
    id              uuid PRIMARY KEY,
    clinic_id       uuid REFERENCES clinics (id),
    user_id         uuid        NOT NULL REFERENCES staff_users (id),
    role            text        NOT NULL,
    refresh_hash    bytea       NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    ip              text,
    user_agent      text
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at);
SELECT isolate_by_clinic('auth_sessions', 'clinic_id IS NOT DISTINCT FROM current_clinic()');
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_sessions TO ${appRole};
GRANT SELECT, DELETE ON auth_sessions TO ${definerRole};

-- Login must find a user by e-mail before any clinic is known. This narrow function, owned by a
-- NOLOGIN role that bypasses RLS, answers exactly that question and nothing else.
CREATE FUNCTION auth_find_user_by_email(p_email text)
    RETURNS TABLE (id uuid, clinic_id uuid, role text, password_hash text, active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT u.id, u.clinic_id, u.role, u.password_hash, u.active
      FROM staff_users u WHERE lower(u.email) = lower(p_email) $$;
ALTER FUNCTION auth_find_user_by_email(text) OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION auth_find_user_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_user_by_email(text) TO ${appRole};

-- Expired sessions of every clinic are removed by a periodic job.
CREATE FUNCTION auth_purge_expired_sessions() RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE removed integer;
BEGIN
    DELETE FROM auth_sessions WHERE expires_at < now() OR idle_expires_at < now();
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
ALTER FUNCTION auth_purge_expired_sessions() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION auth_purge_expired_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_purge_expired_sessions() TO ${appRole};

-- Whether any platform administrator exists (for the first-start bootstrap).
CREATE FUNCTION platform_admin_exists() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM staff_users WHERE role = 'PLATFORM_ADMIN') $$;
ALTER FUNCTION platform_admin_exists() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION platform_admin_exists() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform_admin_exists() TO ${appRole};

-- Modulith's event publication registry (the outbox). Holds event ids and types, never PHI.
CREATE TABLE event_publication (
    id                     uuid        NOT NULL PRIMARY KEY,
    listener_id            text        NOT NULL,
    event_type             text        NOT NULL,
    serialized_event       text        NOT NULL,
    publication_date       timestamptz NOT NULL,
    completion_date        timestamptz,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamptz
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);
GRANT SELECT, INSERT, UPDATE, DELETE ON event_publication TO ${appRole};
