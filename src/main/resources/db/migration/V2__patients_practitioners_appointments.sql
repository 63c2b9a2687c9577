-- Patients. Every PHI column stays behind the patient module's repository. Search never reads the
-- PHI columns: it matches keyed HMAC "blind index" tokens, so it keeps working once the columns
-- are encrypted at field level.
CREATE TABLE patients (
    id               uuid PRIMARY KEY,
    clinic_id        uuid        NOT NULL REFERENCES clinics (id),
    given_name       text        NOT NULL,
    family_name      text        NOT NULL,
    birth_date       date        NOT NULL,
    sex              text,
    email            text,
    phone            text,
    address          text,
    mrn              text,
    name_index       text[]      NOT NULL,
    birth_date_index text        NOT NULL,
    mrn_index        text,
    version          integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (clinic_id, id)
);
CREATE UNIQUE INDEX patients_mrn_key ON patients (clinic_id, mrn_index) WHERE mrn_index IS NOT NULL;
CREATE INDEX patients_by_clinic ON patients (clinic_id, id);
CREATE INDEX patients_by_birth_date ON patients (clinic_id, birth_date_index, id);
CREATE INDEX patients_by_name ON patients USING gin (name_index);
SELECT isolate_by_clinic('patients');
GRANT SELECT, INSERT, UPDATE ON patients TO ${appRole};

CREATE TABLE practitioners (
    id           uuid PRIMARY KEY,
    clinic_id    uuid        NOT NULL REFERENCES clinics (id),
    given_name   text        NOT NULL,
    family_name  text        NOT NULL,
    specialty    text,
    user_id      uuid,
    slot_minutes integer     NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 5 AND 480),
    version      integer     NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, user_id) REFERENCES staff_users (clinic_id, id)
);
CREATE INDEX practitioners_by_clinic ON practitioners (clinic_id, id);
CREATE UNIQUE INDEX practitioners_by_user ON practitioners (user_id) WHERE user_id IS NOT NULL;
SELECT isolate_by_clinic('practitioners');
GRANT SELECT, INSERT, UPDATE ON practitioners TO ${appRole};

-- Weekly hours, as wall-clock times in the clinic's time zone (ISO day of week: 1 = Monday).
CREATE TABLE practitioner_hours (
    clinic_id       uuid     NOT NULL,
    practitioner_id uuid     NOT NULL,
    day_of_week     smallint NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
    start_time      time     NOT NULL,
    end_time        time     NOT NULL,
    CHECK (start_time < end_time),
    FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id) ON DELETE CASCADE
);
CREATE INDEX practitioner_hours_by_practitioner ON practitioner_hours (clinic_id, practitioner_id);
SELECT isolate_by_clinic('practitioner_hours');
GRANT SELECT, INSERT, DELETE ON practitioner_hours TO ${appRole};

-- Leave and holidays: absolute instants.
CREATE TABLE practitioner_exceptions (
    clinic_id       uuid        NOT NULL,
    practitioner_id uuid        NOT NULL,
    from_at         timestamptz NOT NULL,
    to_at           timestamptz NOT NULL,
    reason          text,
    CHECK (from_at < to_at),
    FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id) ON DELETE CASCADE
);
CREATE INDEX practitioner_exceptions_by_practitioner ON practitioner_exceptions (clinic_id, practitioner_id);
SELECT isolate_by_clinic('practitioner_exceptions');
GRANT SELECT, INSERT, DELETE ON practitioner_exceptions TO ${appRole};

-- Appointments. No two active appointments of one practitioner, or of one patient, overlap:
-- PostgreSQL's exclusion constraints guarantee it under any concurrency and any number of API
-- instances. The composite foreign keys keep patient and practitioner in the appointment's clinic.
CREATE TABLE appointments (
    id              uuid PRIMARY KEY,
    clinic_id       uuid        NOT NULL REFERENCES clinics (id),
    patient_id      uuid        NOT NULL,
    practitioner_id uuid        NOT NULL,
    start_at        timestamptz NOT NULL,
    end_at          timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('BOOKED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
    reason          text,
    cancel_reason   text,
    booked_by       uuid        NOT NULL,
    version         integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at > start_at),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, practitioner_id) REFERENCES practitioners (clinic_id, id),
    CONSTRAINT appointments_practitioner_no_overlap EXCLUDE USING gist
        (practitioner_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (status IN ('BOOKED', 'CHECKED_IN')),
    CONSTRAINT appointments_patient_no_overlap EXCLUDE USING gist
        (patient_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (status IN ('BOOKED', 'CHECKED_IN'))
);
CREATE INDEX appointments_by_practitioner ON appointments (clinic_id, practitioner_id, start_at, id);
CREATE INDEX appointments_by_patient ON appointments (clinic_id, patient_id, start_at, id);
CREATE INDEX appointments_by_clinic ON appointments (clinic_id, start_at, id);
CREATE INDEX appointments_active ON appointments (clinic_id) WHERE status IN ('BOOKED', 'CHECKED_IN');
SELECT isolate_by_clinic('appointments');
GRANT SELECT, INSERT, UPDATE ON appointments TO ${appRole};
GRANT SELECT ON appointments TO ${definerRole};

-- Count of active appointments across all clinics, for the autoscaling metric. Returns a number only.
CREATE FUNCTION active_appointments_count() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT count(*) FROM appointments WHERE status IN ('BOOKED', 'CHECKED_IN') $$;
ALTER FUNCTION active_appointments_count() OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION active_appointments_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION active_appointments_count() TO ${appRole};

-- Idempotency keys of non-idempotent POSTs: same key + same body → same stored response.
CREATE TABLE idempotency_keys (
    clinic_id       uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    key             text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash    bytea       NOT NULL,
    response_status integer     NOT NULL,
    response_body   text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
SELECT isolate_by_clinic('idempotency_keys');
GRANT SELECT, INSERT, UPDATE ON idempotency_keys TO ${appRole};
GRANT SELECT, DELETE ON idempotency_keys TO ${definerRole};

CREATE FUNCTION idempotency_keys_purge(p_older_than timestamptz) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE removed integer;
BEGIN
    DELETE FROM idempotency_keys WHERE created_at < p_older_than;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
ALTER FUNCTION idempotency_keys_purge(timestamptz) OWNER TO ${definerRole};
REVOKE ALL ON FUNCTION idempotency_keys_purge(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION idempotency_keys_purge(timestamptz) TO ${appRole};
