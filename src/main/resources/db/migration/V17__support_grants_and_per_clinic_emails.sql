-- Issue 13, items 1 and 7: no answer may confirm another clinic's staff, and the platform
-- administrator changes an existing clinic only under a support grant its administrator approved.

-- 1. E-mail addresses are unique per clinic (platform administrators, clinic NULL, form one scope).
-- A global index made "create a user" answer 409 EMAIL_TAKEN for an address held in another clinic:
-- an oracle for other clinics' staff addresses. Sign-in stays by e-mail alone and belongs to the
-- address's first holder (the oldest account); a later account with the same address in another
-- clinic exists, is listed and managed by its clinic, but cannot take over that sign-in.
DROP INDEX staff_users_email_key;
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (clinic_id, lower(email)) NULLS NOT DISTINCT;
CREATE INDEX staff_users_by_email ON staff_users (lower(email), created_at, id);

CREATE OR REPLACE FUNCTION auth_find_user_by_email(p_email text)
    RETURNS TABLE (id uuid, clinic_id uuid, role text, password_hash text, active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT u.id, u.clinic_id, u.role, u.password_hash, u.active
      FROM staff_users u WHERE lower(u.email) = lower(p_email)
      ORDER BY u.created_at, u.id LIMIT 1 $$;

-- 2. A user is linked to at most one practitioner of its clinic. The index named no clinic, and
-- a unique index fires before the (clinic_id, user_id) foreign key is checked, so linking another
-- clinic's user id answered 409 USER_ALREADY_LINKED when that user was linked there, instead of
-- 422 UNKNOWN_USER like an id that does not exist.
DROP INDEX practitioners_by_user;
CREATE UNIQUE INDEX practitioners_by_user ON practitioners (clinic_id, user_id) WHERE user_id IS NOT NULL;

-- 3. Support grants: a platform administrator asks a clinic for time-boxed access to its
-- administration (further users, security and retention settings), with a reason; the clinic's
-- administrator approves, denies or revokes. Never a way to PHI.
CREATE TABLE support_grants (
    id               uuid PRIMARY KEY,
    clinic_id        uuid        NOT NULL REFERENCES clinics (id),
    requested_by     uuid        NOT NULL REFERENCES staff_users (id),
    reason           text        NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
    duration_minutes integer     NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
    status           text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'REVOKED', 'EXPIRED')),
    requested_at     timestamptz NOT NULL,
    decided_by       uuid,
    decided_at       timestamptz,
    approved_at      timestamptz,
    expires_at       timestamptz,
    ended_by         uuid,
    ended_at         timestamptz,
    CHECK ((status = 'APPROVED') <= (approved_at IS NOT NULL AND expires_at IS NOT NULL)),
    FOREIGN KEY (clinic_id, decided_by) REFERENCES staff_users (clinic_id, id),
    FOREIGN KEY (clinic_id, ended_by) REFERENCES staff_users (clinic_id, id)
);
CREATE INDEX support_grants_by_clinic ON support_grants (clinic_id, requested_at DESC, id);
CREATE INDEX support_grants_active ON support_grants (clinic_id, requested_by, expires_at) WHERE status = 'APPROVED';
SELECT isolate_by_clinic('support_grants');
GRANT SELECT, INSERT, UPDATE ON support_grants TO ${appRole};

-- Grants that ran out (approved ones past their end, requests nobody answered within a day), across
-- clinics, for the periodic job, which closes and audits each in a transaction of its clinic.
CREATE FUNCTION support_grants_due() RETURNS TABLE (id uuid, clinic_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT s.id, s.clinic_id FROM support_grants s
       WHERE (s.status = 'APPROVED' AND s.expires_at <= now())
          OR (s.status = 'PENDING' AND s.requested_at <= now() - interval '1 day')
       LIMIT 1000 $$;
GRANT SELECT ON support_grants TO ${definerRole};
ALTER FUNCTION support_grants_due() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION support_grants_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_grants_due() TO ${appRole};
