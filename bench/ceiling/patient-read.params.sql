-- The values of patient read number n (0, 1, 2, ...) for the ceiling's pgbench run: one row, each
-- column the :variable of that name in patient-read.sql. Not sent by the service: bench/ceiling.py
-- computes them before the run. The @constant columns are the same for every request (pgbench -D);
-- the others are fetched @batch requests at a time. pgbench cannot send NULL: a null here is sent
-- as an empty value. The audit event's id may repeat (the table has no key on it); its time grows.
-- @batch 10
-- @rate 6000
-- @constant clinic, timeout, user_id, event_id, role, action, resource_type, outcome, ip, user_agent, trace_id, emergency, reason
select r.clinic, '29990ms' as timeout, p.id as patient, r.user_id, r.event_id,
       r.started + n * interval '100 microseconds' as at, r.role, 'READ' as action, 'Patient' as resource_type,
       'SUCCESS' as outcome, '127.0.0.1' as ip, 'healthcare-backend-bench' as user_agent, r.trace_id,
       false as emergency, null::text as reason
  from ceiling.run r
  join ceiling.patients p on p.i = (n * 7919) % r.patients
