-- The availability query (active appointments of one practitioner in a window) was served by the
-- partial index on clinic_id, which reads every active appointment of the clinic: 90 ms at one
-- million appointments. A partial index on (practitioner_id, start_at) reads exactly the window,
-- because appointments last at most 12 hours and the query bounds start_at on both sides. The same
-- index serves the global active-appointments count.
DROP INDEX appointments_active;
CREATE INDEX appointments_active_by_practitioner ON appointments (practitioner_id, start_at)
    WHERE status IN ('BOOKED', 'CHECKED_IN');

-- healthcare_appointments_active counts appointments that still block a slot now or later
-- (BOOKED or CHECKED_IN and not yet ended). Counting every active row ever booked grew with
-- history (a sequential scan of the table at a million rows); this counts from an index of the
-- not-yet-ended ones only.
CREATE INDEX appointments_active_by_end ON appointments (end_at) WHERE status IN ('BOOKED', 'CHECKED_IN');
CREATE OR REPLACE FUNCTION active_appointments_count() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT count(*) FROM appointments WHERE status IN ('BOOKED', 'CHECKED_IN') AND end_at > now() $$;
