-- Patient search by name, POST /api/v1/patients/search {"name": <a family name>, "limit": 20}: the
-- statements the service sends to PostgreSQL for one request that finds 20 patients, in order, with
-- :name for each parameter ($n in the service). The search reads 21 rows (one to see whether a next
-- page exists) through the blind index of the name (no cache), then the audit writer commits the
-- 20 READ events in one transaction with one INSERT of 20 rows (one array per column, unnest). Each
-- statement in a round trip of its own. Break-glass grants and keys come from caches in a steady
-- state (cached.sql).
-- scripts/bench.sh runs it with pgbench as the DB-only ceiling and fails when it no longer matches
-- what the service sends (CeilingDriftCheck; CeilingStatementsTest in make test). The values come
-- from patient-search.params.sql. docs/benchmarks.md explains.
BEGIN READ ONLY;
select set_config('app.clinic_id', :clinic, true), set_config('statement_timeout', :timeout, true);
select id, clinic_id, given_name, family_name, birth_date, sex, email, phone, address, mrn, push_token, version,
       created_at, updated_at, erased_at, restricted
  from patients where clinic_id = :clinic and erased_at is null and name_index @> cast(:names as text[])
 order by id limit :rows;
COMMIT;
BEGIN;
select set_config('app.clinic_id', :clinic, true);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
select * from unnest(:ids::uuid[], :clinic_ids::uuid[], :ats::timestamptz[], :actor_ids::uuid[], :actor_roles::text[],
                     :actions::text[], :resource_types::text[], :patients::uuid[], :patients::uuid[], :outcomes::text[],
                     :ips::text[], :user_agents::text[], :trace_ids::text[], :emergencies::boolean[], :reasons::text[]);
COMMIT;
