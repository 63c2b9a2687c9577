-- Multi-factor authentication with TOTP (RFC 6238) for staff (issue #4, item 3).

-- A clinic may make a second factor mandatory for all of its staff.
ALTER TABLE clinics ADD COLUMN mfa_required boolean NOT NULL DEFAULT false;

-- One row per staff user who has started enrolling. The TOTP key is stored only encrypted
-- (AES-256-GCM under MFA_SECRET_KEYSET, the user id as associated data, so a ciphertext copied to
-- another user's row does not decrypt). last_step makes every code single-use: a code is accepted
-- only for a time step after the last accepted one. failures/lockouts/locked_until limit guessing
-- (attempts are counted before a code is checked, so parallel guesses cannot outrun the limit);
-- a lock always expires. The enrollment token lets a user whose clinic requires MFA enrol before
-- they can sign in; only its SHA-256 is kept.
CREATE TABLE staff_mfa (
    user_id                     uuid PRIMARY KEY REFERENCES staff_users (id),
    clinic_id                   uuid REFERENCES clinics (id),
    secret                      bytea,
    active                      boolean     NOT NULL DEFAULT false,
    secret_created_at           timestamptz,
    activated_at                timestamptz,
    last_step                   bigint      NOT NULL DEFAULT 0,
    failures                    integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    lockouts                    integer     NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    locked_until                timestamptz,
    enrollment_token_hash       bytea,
    enrollment_token_expires_at timestamptz,
    CHECK (NOT active OR secret IS NOT NULL),
    CHECK ((enrollment_token_hash IS NULL) = (enrollment_token_expires_at IS NULL)),
    -- a clinic user's row names that user's clinic (platform admins: no clinic)
    FOREIGN KEY (clinic_id, user_id) REFERENCES staff_users (clinic_id, id)
);
SELECT isolate_by_clinic('staff_mfa', 'clinic_id IS NOT DISTINCT FROM current_clinic()');
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_mfa TO ${appRole};

-- One-time recovery codes: SHA-256 of (user id, code) only; a used code is deleted.
CREATE TABLE staff_mfa_recovery_codes (
    user_id    uuid        NOT NULL REFERENCES staff_mfa (user_id) ON DELETE CASCADE,
    clinic_id  uuid REFERENCES clinics (id),
    code_hash  bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
SELECT isolate_by_clinic('staff_mfa_recovery_codes', 'clinic_id IS NOT DISTINCT FROM current_clinic()');
GRANT SELECT, INSERT, DELETE ON staff_mfa_recovery_codes TO ${appRole};
