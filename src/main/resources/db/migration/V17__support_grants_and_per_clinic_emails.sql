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
