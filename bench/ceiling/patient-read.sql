-- Patient read, GET /api/v1/patients/{id}: the statements the service sends to PostgreSQL for one
-- request, in order, each in a round trip of its own, with :name for each parameter ($n in the
-- service). Read the record (RLS: the clinic is set first, with the request's statement timeout),
-- then the audit writer commits the READ event before the answer goes out (group commit: under load
-- several requests share that transaction; here, one). The caller's break-glass grants and the
-- patient's key come from caches in a steady state (cached.sql).
-- scripts/bench.sh runs it with pgbench as the DB-only ceiling and fails when it no longer matches
-- what the service sends (CeilingDriftCheck; CeilingStatementsTest in make test). The values come
-- from patient-read.params.sql. docs/benchmarks.md explains.
BEGIN READ ONLY;
select set_config('app.clinic_id', :clinic, true), set_config('statement_timeout', :timeout, true);
select id, clinic_id, given_name, family_name, birth_date, sex, email, phone, address, mrn, push_token, version,
       created_at, updated_at, erased_at, restricted
  from patients where clinic_id = :clinic and id = :patient;
COMMIT;
BEGIN;
select set_config('app.clinic_id', :clinic, true);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_id, :clinic, :at, :user_id, :role, :action, :resource_type, :patient, :patient, :outcome, :ip,
        :user_agent, :trace_id, :emergency, :reason);
COMMIT;
