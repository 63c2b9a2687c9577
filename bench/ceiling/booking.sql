-- Booking, POST /api/v1/appointments with an Idempotency-Key: the statements the service sends to
-- PostgreSQL for one request, in order, each in a round trip of its own, with :name for each
-- parameter ($n in the service). One transaction claims the key, checks the patient, inserts the
-- appointment (its exclusion constraints are the conflict check), writes the audit event, stores
-- the staff-event publication (Spring Modulith's registry), plans the confirmation and two
-- reminders and stores the reply; after the commit the staff-event relay marks and deletes the
-- publication (two more transactions). The practitioner's schedule, the clinic, its notification
-- settings and the caller's break-glass grants come from caches in a steady state (cached.sql).
-- scripts/bench.sh runs it with pgbench as the DB-only ceiling and fails when it no longer matches
-- what the service sends (CeilingDriftCheck; CeilingStatementsTest in make test). The values come
-- from booking.params.sql. docs/benchmarks.md explains.
BEGIN;
select set_config('app.clinic_id', :clinic, true), set_config('statement_timeout', :timeout, true);
insert into idempotency_keys (clinic_id, user_id, key, request_hash, response_status, response_body)
values (:clinic, :user_id, :idempotency_key, :request_hash, 0, '') on conflict do nothing;
select id, clinic_id, given_name, family_name, birth_date, sex, email, phone, address, mrn, push_token, version,
       created_at, updated_at, erased_at, restricted
  from patients where clinic_id = :clinic and id = :patient;
insert into appointments (id, clinic_id, patient_id, practitioner_id, start_at, end_at, status, reason, cancel_reason,
                          reason_sealed, cancel_reason_sealed, booked_by, version, created_at, updated_at)
values (:appointment, :clinic, :patient, :practitioner, :start_at, :end_at, :status, null, null, :reason_sealed, null,
        :user_id, 0, :now, :now);
insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, patient_id,
                          outcome, ip, user_agent, trace_id, emergency, reason)
values (:event_id, :clinic, :now, :user_id, :role, :action, :resource_type, :appointment, :patient, :outcome, :ip,
        :user_agent, :trace_id, :emergency, :reason);
INSERT INTO EVENT_PUBLICATION (ID, EVENT_TYPE, LISTENER_ID, PUBLICATION_DATE, SERIALIZED_EVENT, STATUS,
                               COMPLETION_ATTEMPTS, LAST_RESUBMISSION_DATE)
VALUES (:publication, :event_type, :listener_id, :now, :serialized_event, :publication_status, :completion_attempts,
        :now);
insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
values (:confirmation_task, :confirmation_instance, :confirmation_data, :confirmation_due, false, 1, :confirmation_priority),
       (:reminder_task, :day_reminder_instance, :day_reminder_data, :day_reminder_due, false, 1, :reminder_priority),
       (:reminder_task, :hour_reminder_instance, :hour_reminder_data, :hour_reminder_due, false, 1, :reminder_priority)
on conflict (task_name, task_instance) do nothing;
update idempotency_keys set response_status = :response_status, response_body = :response_body
 where clinic_id = :clinic and user_id = :user_id and key = :idempotency_key;
COMMIT;
BEGIN;
UPDATE EVENT_PUBLICATION SET STATUS = 'PROCESSING' WHERE ID = :publication AND STATUS != 'PROCESSING';
COMMIT;
BEGIN;
DELETE FROM EVENT_PUBLICATION WHERE ID = :publication;
COMMIT;
