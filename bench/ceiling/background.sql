-- Periodic work of an API instance that no request causes. The drift check (CeilingDriftCheck)
-- leaves out a captured transaction, or a statement outside one, whose first statement starts with
-- one of these (normalised: parameters as $?). Add a job's first statement here when it shows up
-- in a drift report but belongs to no request.
-- The audit sealer and the checkpoint signer (audit.internal.AuditSealer), every second:
select pg_try_advisory_xact_lock($1);
-- Gauges: active appointments (scheduling) and the job queue (platform.jobs.QueueDepth):
select active_appointments_count();
SELECT task_name, count(*) FILTER (WHERE NOT picked AND execution_time < $1) AS due;
-- Support grants running out (identity.internal.SupportGrants), every minute:
select id, clinic_id from support_grants_due();
