-- The device token of the patient's app (a Firebase Cloud Messaging registration token), the
-- recipient of push reminders. It identifies and reaches one device, so it is treated as PHI:
-- Tink AES-256-GCM ciphertext under the patient's data key like the other PHI columns (associated
-- data "clinic|patient|pushToken"), written and read only by the patient module's repository.
-- Optional, so no NOT NULL and no place in patients_erased_or_complete. Table-level grants and
-- the row-level security policy of patients (V2) cover the new column as they are.
ALTER TABLE patients
    ADD COLUMN push_token bytea,
    -- Erasure clears it with the other ciphertext; a tombstone never holds (or regains) a token.
    ADD CONSTRAINT patients_erased_without_push_token CHECK (erased_at IS NULL OR push_token IS NULL);
