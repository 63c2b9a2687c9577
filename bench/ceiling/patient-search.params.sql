-- The values of search number n (0, 1, 2, ...) for the ceiling's pgbench run: one row, each column
-- the :variable of that name in patient-search.sql. Not sent by the service: bench/ceiling.py
-- computes them before the run. Search n looks for the (n mod G)-th family name of the bench data
-- (bench/seed.py gives each 20 patients) by its blind-index token; the audit events name the 20
-- patients it finds. The @constant columns are the same for every request (pgbench -D); the others
-- are fetched @batch requests at a time. pgbench cannot send NULL: a null here is sent as an empty
-- value. Audit event ids may repeat (the table has no key on them); their time grows.
-- @batch 2
-- @rate 2500
-- @constant clinic, timeout, rows, user_id, role, action, resource_type, outcome, ip, user_agent, trace_id, emergency, reason, event_1, event_2, event_3, event_4, event_5, event_6, event_7, event_8, event_9, event_10, event_11, event_12, event_13, event_14, event_15, event_16, event_17, event_18, event_19, event_20
select r.clinic, '29990ms' as timeout, '{"' || s.token || '"}' as names, 21 as rows, r.user_id, r.role,
       'READ' as action, 'Patient' as resource_type, 'SUCCESS' as outcome, '127.0.0.1' as ip,
       'healthcare-backend-bench' as user_agent, r.trace_id, false as emergency, null::text as reason,
       r.started + n * interval '1 millisecond' as at,
       r.event_id as event_1, s.patients[1] as patient_1,
       r.event_id as event_2, s.patients[2] as patient_2,
       r.event_id as event_3, s.patients[3] as patient_3,
       r.event_id as event_4, s.patients[4] as patient_4,
       r.event_id as event_5, s.patients[5] as patient_5,
       r.event_id as event_6, s.patients[6] as patient_6,
       r.event_id as event_7, s.patients[7] as patient_7,
       r.event_id as event_8, s.patients[8] as patient_8,
       r.event_id as event_9, s.patients[9] as patient_9,
       r.event_id as event_10, s.patients[10] as patient_10,
       r.event_id as event_11, s.patients[11] as patient_11,
       r.event_id as event_12, s.patients[12] as patient_12,
       r.event_id as event_13, s.patients[13] as patient_13,
       r.event_id as event_14, s.patients[14] as patient_14,
       r.event_id as event_15, s.patients[15] as patient_15,
       r.event_id as event_16, s.patients[16] as patient_16,
       r.event_id as event_17, s.patients[17] as patient_17,
       r.event_id as event_18, s.patients[18] as patient_18,
       r.event_id as event_19, s.patients[19] as patient_19,
       r.event_id as event_20, s.patients[20] as patient_20
  from ceiling.run r
  join ceiling.names s on s.i = (n * 7919) % r.names
