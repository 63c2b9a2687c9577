-- The values of search number n (0, 1, 2, ...) for the ceiling's pgbench run: one row, each column
-- the :variable of that name in patient-search.sql. Not sent by the service: bench/ceiling.py
-- computes them before the run. Search n looks for the (n mod G)-th family name of the bench data
-- (bench/seed.py gives each 20 patients) by its blind-index token; the audit events name the 20
-- patients it finds. The audit insert takes one array per column, each given here as a PostgreSQL
-- array literal (an array cast to text) of the 20 rows' values; a null element is written NULL in
-- it, so the rows' reason is null as the service's (pgbench itself cannot send a NULL). The
-- @constant columns are the same for every request (pgbench -D); the others are fetched @batch
-- requests at a time. Audit event ids may repeat (the table has no key on them); their time grows.
-- @batch 2
-- @rate 2500
-- @constant clinic, timeout, rows, ids, clinic_ids, actor_ids, actor_roles, actions, resource_types, outcomes, ips, user_agents, trace_ids, emergencies, reasons
select r.clinic, '29990ms' as timeout, '{"' || s.token || '"}' as names, 21 as rows,
       array_fill(r.event_id, array[20])::text as ids,
       array_fill(r.clinic, array[20])::text as clinic_ids,
       array_fill(r.started + n * interval '1 millisecond', array[20])::text as ats,
       array_fill(r.user_id, array[20])::text as actor_ids,
       array_fill(r.role, array[20])::text as actor_roles,
       array_fill('READ'::text, array[20])::text as actions,
       array_fill('Patient'::text, array[20])::text as resource_types,
       s.patients[1:20]::text as patients,
       array_fill('SUCCESS'::text, array[20])::text as outcomes,
       array_fill('127.0.0.1'::text, array[20])::text as ips,
       array_fill('healthcare-backend-bench'::text, array[20])::text as user_agents,
       array_fill(r.trace_id, array[20])::text as trace_ids,
       array_fill(false, array[20])::text as emergencies,
       array_fill(null::text, array[20])::text as reasons
  from ceiling.run r
  join ceiling.names s on s.i = (n * 7919) % r.names
