-- Confirmations and reminders of appointments (issue #5, item 3 and 4).

-- Per-clinic configuration. Reminder offsets are minutes before the appointment; quiet hours are
-- in the clinic's time zone (start > end spans midnight; both null = none). Templates override the
-- built-in defaults per "KIND.CHANNEL" ({"REMINDER.SMS": {"subject": …, "body": …}}) and may use
-- only whitelisted placeholders, none of them clinical.
CREATE TABLE notification_settings (
    clinic_id        uuid PRIMARY KEY REFERENCES clinics (id),
    confirmations    boolean     NOT NULL DEFAULT true,
    reminder_offsets int[]       NOT NULL DEFAULT '{1440,120}',
    quiet_start      time,
    quiet_end        time,
    channels         text[]      NOT NULL DEFAULT '{EMAIL,SMS,PUSH}',
    templates        jsonb       NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL,
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);
SELECT isolate_by_clinic('notification_settings');
GRANT SELECT, INSERT, UPDATE ON notification_settings TO ${appRole};

-- One row per message and channel: what was sent where, how often it was tried, the provider's
-- id, the last error (a status line, never PHI). The idempotency key is sent to the provider and
-- unique here: a message re-run after a crash finds its row and is never sent a second time
-- under another key. Rows without a channel record a message that could not be sent at all
-- (the patient has no address for any enabled channel).
CREATE TABLE notification_deliveries (
    id              uuid PRIMARY KEY,
    clinic_id       uuid        NOT NULL REFERENCES clinics (id),
    appointment_id  uuid        NOT NULL,
    patient_id      uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('CONFIRMATION', 'REMINDER')),
    channel         text        CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
    status          text        NOT NULL CHECK (status IN ('SENDING', 'SENT', 'RETRYING', 'REJECTED', 'SKIPPED')),
    attempts        int         NOT NULL DEFAULT 0,
    provider_id     text,
    last_error      text,
    idempotency_key uuid        NOT NULL UNIQUE,
    due_at          timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX notification_deliveries_by_appointment ON notification_deliveries (clinic_id, appointment_id);
SELECT isolate_by_clinic('notification_deliveries');
GRANT SELECT, INSERT, UPDATE ON notification_deliveries TO ${appRole};
