-- Issue #13, items 1 and 2.
--
-- 1. Both exclusion constraints start with clinic_id. Without it the patient constraint compared a
--    patient id across clinics and fired before the composite foreign key: booking another
--    clinic's patient answered 409 (that patient has an appointment then) instead of 404. The
--    service checks ownership first anyway; with clinic_id in the constraint the database can no
--    longer tell one clinic anything about another's rows either.
ALTER TABLE appointments DROP CONSTRAINT appointments_practitioner_no_overlap;
ALTER TABLE appointments DROP CONSTRAINT appointments_patient_no_overlap;
ALTER TABLE appointments
    ADD CONSTRAINT appointments_practitioner_no_overlap EXCLUDE USING gist
        (clinic_id WITH =, practitioner_id WITH =, tstzrange(start_at, end_at) WITH &&)
        WHERE (status IN ('BOOKED', 'CHECKED_IN')),
    ADD CONSTRAINT appointments_patient_no_overlap EXCLUDE USING gist
        (clinic_id WITH =, patient_id WITH =, tstzrange(start_at, end_at) WITH &&)
        WHERE (status IN ('BOOKED', 'CHECKED_IN'));

-- 2. The free text of an appointment (reason, cancellation reason) is PHI: it is sealed with the
--    patient's data key (Tink AES-256-GCM, associated data clinic|patient|appointment|field), so
--    it never reaches a backup in plaintext and erasing the patient (destroying the key) makes it
--    unreadable everywhere, old backups included. The plaintext columns stay only for rows written
--    before this version: the service seals them at start-up (scheduling.internal.LegacyTextSealer)
--    and clears the plaintext; nothing writes them any more.
ALTER TABLE appointments
    ADD COLUMN reason_sealed        bytea,
    ADD COLUMN cancel_reason_sealed bytea;

-- The clinics that still hold plaintext appointment text, for the start-up sealer (which then works
-- inside each clinic's own transaction, under row-level security). Returns ids only.
CREATE FUNCTION appointments_plaintext_clinics() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT DISTINCT clinic_id FROM appointments WHERE reason IS NOT NULL OR cancel_reason IS NOT NULL $$;
ALTER FUNCTION appointments_plaintext_clinics() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION appointments_plaintext_clinics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appointments_plaintext_clinics() TO ${appRole};

-- Stored idempotent responses no longer hold free text: a replay takes the reason from the
-- (sealed) appointment. Remove it from the responses stored before this version. Row-level
-- security is forced even for the owner, so it is lifted for this one statement of the migration.
ALTER TABLE idempotency_keys NO FORCE ROW LEVEL SECURITY;
UPDATE idempotency_keys
   SET response_body = ((response_body::jsonb - 'reason') - 'cancelReason')::text
 WHERE response_status <> 0 AND response_body LIKE '{%';
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
