-- What the ceiling's parameter queries (*.params.sql) draw from: the bench clinic's patients,
-- practitioners and searchable family names, numbered. bench/ceiling.py runs this as the database
-- superuser once the bench data is seeded (psql variables: clinic, desk_user, app). Nothing of it
-- is read during the measurement except the prepared values (ceiling.<path>, one lookup per batch).
DROP SCHEMA IF EXISTS ceiling CASCADE;
CREATE SCHEMA ceiling;
GRANT USAGE ON SCHEMA ceiling TO :"app";

CREATE TABLE ceiling.patients AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS i, id FROM patients WHERE clinic_id = :'clinic';
ALTER TABLE ceiling.patients ADD PRIMARY KEY (i);

CREATE TABLE ceiling.practitioners AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS i, id FROM practitioners WHERE clinic_id = :'clinic';
ALTER TABLE ceiling.practitioners ADD PRIMARY KEY (i);

-- Each family name of the seed is borne by 20 patients: its blind-index token (the one a search
-- for that name sends) and those 20 patients in the order the search returns them.
CREATE TABLE ceiling.names AS
  SELECT (row_number() OVER (ORDER BY token) - 1)::int AS i, token, patients
    FROM (SELECT t AS token, array_agg(p.id ORDER BY p.id) AS patients
            FROM patients p CROSS JOIN LATERAL unnest(p.name_index) AS t
           WHERE p.clinic_id = :'clinic' AND p.erased_at IS NULL
           GROUP BY t HAVING count(*) = 20) s;
ALTER TABLE ceiling.names ADD PRIMARY KEY (i);

CREATE TABLE ceiling.run AS
  SELECT :'clinic'::uuid AS clinic, :'desk_user'::uuid AS user_id, 'RECEPTIONIST'::text AS role,
         now() AS started, gen_random_uuid() AS event_id, replace(gen_random_uuid()::text, '-', '') AS trace_id,
         (SELECT count(*) FROM ceiling.patients)::int AS patients,
         (SELECT count(*) FROM ceiling.practitioners)::int AS practitioners,
         (SELECT count(*) FROM ceiling.names)::int AS names;

DO $$
BEGIN
  IF (SELECT names FROM ceiling.run) = 0 THEN
    RAISE EXCEPTION 'no family name is borne by exactly 20 patients: seed with bench/seed.py';
  END IF;
END $$;
