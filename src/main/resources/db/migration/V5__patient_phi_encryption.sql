-- PHI encrypted at field level. Every PHI column of patients becomes a Tink AES-256-GCM
-- ciphertext (bytea) under the patient's own data key, which lives in the separate key store
-- (<db>_keys). The associated data binds each value to its clinic, patient and field, so a value
-- copied into another row or column does not decrypt. Search keeps using the blind-index tokens.
--
-- Plaintext cannot be encrypted in SQL (the keys never reach the database). The service has not
-- held production data yet, so this migration refuses to run on a database with patients rather
-- than silently dropping or keeping plaintext: recreate such a development database.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM patients) THEN
        RAISE EXCEPTION 'V5 encrypts patient PHI and needs an empty patients table: recreate this development database (dropdb <name> && dropdb <name>_keys && make db-init)';
    END IF;
END $$;

ALTER TABLE patients
    ALTER COLUMN given_name  TYPE bytea USING NULL,
    ALTER COLUMN family_name TYPE bytea USING NULL,
    ALTER COLUMN birth_date  TYPE bytea USING NULL,
    ALTER COLUMN sex         TYPE bytea USING NULL,
    ALTER COLUMN email       TYPE bytea USING NULL,
    ALTER COLUMN phone       TYPE bytea USING NULL,
    ALTER COLUMN address     TYPE bytea USING NULL,
    ALTER COLUMN mrn         TYPE bytea USING NULL,
    -- Erasure clears the ciphertext and the blind-index tokens (keyed hashes of PHI); the row and
    -- its id stay, so appointments and the audit trail still refer to it.
    ALTER COLUMN given_name  DROP NOT NULL,
    ALTER COLUMN family_name DROP NOT NULL,
    ALTER COLUMN birth_date  DROP NOT NULL,
    ALTER COLUMN birth_date_index DROP NOT NULL,
    ADD COLUMN erased_at timestamptz,
    ADD CONSTRAINT patients_erased_or_complete CHECK (
        erased_at IS NOT NULL OR (given_name IS NOT NULL AND family_name IS NOT NULL AND birth_date IS NOT NULL
                                  AND birth_date_index IS NOT NULL));
