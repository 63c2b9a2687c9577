-- The key store: a database of its own (by default <DATABASE_NAME>_keys), so backups of the data
-- database never contain patient keys. Holds wrapped (encrypted) keysets only, never PHI.

-- One AES-256-GCM keyset per clinic, wrapped by the master key (associated data: the clinic id).
CREATE TABLE clinic_keys (
    clinic_id      uuid PRIMARY KEY,
    wrapped_keyset bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    rotated_at     timestamptz
);

-- One AES-256-GCM keyset per patient, wrapped by its clinic's key (associated data: clinic and
-- patient id). Deleting the row is the erasure: every copy of the patient's ciphertext, backups
-- included, becomes unreadable. Keep backups of THIS database short-lived (see README).
CREATE TABLE patient_keys (
    patient_id     uuid PRIMARY KEY,
    clinic_id      uuid        NOT NULL,
    wrapped_keyset bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    rotated_at     timestamptz
);
CREATE INDEX patient_keys_by_clinic ON patient_keys (clinic_id, patient_id);

-- Progress of rotate-keys: one row per run; an unfinished row is resumed after a crash.
CREATE TABLE key_rotations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    after_patient uuid,
    done          integer     NOT NULL DEFAULT 0,
    total         integer     NOT NULL
);
CREATE UNIQUE INDEX key_rotations_one_open ON key_rotations ((true)) WHERE finished_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON clinic_keys TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON patient_keys TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON key_rotations TO ${appRole};
