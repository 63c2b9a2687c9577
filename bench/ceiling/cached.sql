-- Statements the service sends only when a short-lived cache misses: under load they are amortised
-- over many requests, so the ceiling scripts leave them out, and the drift check leaves them out of
-- a recording that happens to include them (normalised, parameters as $?; a captured statement that
-- starts with one of these is dropped, and so is its transaction when nothing else is left in it
-- but the clinic's set_config). Under load: one lookup per user and second, per practitioner and
-- 5 s, per clinic and 30 s or 10 min, per patient and 5 min.
-- Break-glass grants of the caller (audit.internal.EmergencyGrants, 1 s per user):
select patient_id, reason, expires_at from emergency_grants where clinic_id = $1 and user_id = $2 and expires_at > now();
-- A practitioner's schedule (practitioner.internal.PractitionerService, 5 s):
select slot_minutes from practitioners where clinic_id = $1 and id = $2;
select day_of_week, start_time, end_time from practitioner_hours where clinic_id = $1 and practitioner_id = $2;
select from_at, to_at, reason from practitioner_exceptions where clinic_id = $1 and practitioner_id = $2;
-- The clinic (clinic.internal.ClinicService, 10 min) and its notification settings (30 s):
select id, name, time_zone, created_at from clinics where id = $1;
select confirmations, reminder_offsets, quiet_start, quiet_end, channels, templates::text from notification_settings;
-- Patients' and clinics' data keys in the key store (platform.crypto.PhiKeys, 5 and 10 minutes):
select patient_id, wrapped_keyset from patient_keys;
select wrapped_keyset from clinic_keys where clinic_id = $1;
