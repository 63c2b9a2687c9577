-- Issue 13, item 1 (residual): sign-in must not tell an administrator that an address they gave
-- an account in their clinic is held in another clinic too. Until now sign-in was by e-mail alone
-- and went to the address's oldest holder, so an administrator who created an account with
-- another clinic's address and signed in with the password they had set was refused: an oracle.
-- Now sign-in goes to the holder whose password matches (PasswordLogin, Passwords): this function
-- returns every holder, oldest first, with the clinic's name for the rare person who holds
-- accounts with one password in two clinics and must say which one they mean.
CREATE FUNCTION auth_find_users_by_email(p_email text)
    RETURNS TABLE (id uuid, clinic_id uuid, clinic_name text, role text, password_hash text, active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT u.id, u.clinic_id, c.name, u.role, u.password_hash, u.active
      FROM staff_users u LEFT JOIN clinics c ON c.id = u.clinic_id
      WHERE u.email = p_email
      ORDER BY u.created_at, u.id $$;
GRANT SELECT (id, name) ON clinics TO ${definerRole};
ALTER FUNCTION auth_find_users_by_email(text) OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION auth_find_users_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_users_by_email(text) TO ${appRole};

-- Password verifiers set before this version ("$argon2id$…", one slow hash each with a random
-- salt) are replaced at their holder's next sign-in. While any remains, every sign-in spends one
-- such check (on the address's oldest old-style verifier, or on a decoy), so the number of
-- holders of an address never shows in the response time. This tells whether any remains.
CREATE FUNCTION auth_legacy_password_verifiers_remain() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT exists (SELECT 1 FROM staff_users WHERE password_hash LIKE '$argon2%') $$;
ALTER FUNCTION auth_legacy_password_verifiers_remain() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION auth_legacy_password_verifiers_remain() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_legacy_password_verifiers_remain() TO ${appRole};

-- The oldest-holder lookup it replaces (sign-in by password and by OIDC both use the one above).
DROP FUNCTION auth_find_user_by_email(text);
