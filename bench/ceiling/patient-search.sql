-- Patient search by name, POST /api/v1/patients/search {"name": <a family name>, "limit": 20}: the
-- statements the service sends to PostgreSQL for one request that finds 20 patients, in order, with
-- :name for each parameter ($n in the service). The search reads 21 rows (one to see whether a next
-- page exists) through the blind index of the name (no cache), then the audit writer commits the
-- 20 READ events in one transaction, the 20 inserts in one round trip (a JDBC batch; pgbench's
-- pipeline). Each round trip of its own otherwise. Break-glass grants and keys come from caches in
-- a steady state (cached.sql).
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
\startpipeline
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_1, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_1, :patient_1, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_2, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_2, :patient_2, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_3, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_3, :patient_3, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_4, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_4, :patient_4, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_5, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_5, :patient_5, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_6, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_6, :patient_6, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_7, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_7, :patient_7, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_8, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_8, :patient_8, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_9, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_9, :patient_9, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_10, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_10, :patient_10, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_11, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_11, :patient_11, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_12, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_12, :patient_12, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_13, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_13, :patient_13, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_14, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_14, :patient_14, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_15, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_15, :patient_15, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_16, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_16, :patient_16, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_17, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_17, :patient_17, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_18, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_18, :patient_18, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_19, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_19, :patient_19, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_20, :clinic, :at, :user_id, :role, :action, :resource_type, :patient_20, :patient_20, :outcome,
        :ip, :user_agent, :trace_id, :emergency, :reason);
\endpipeline
COMMIT;
