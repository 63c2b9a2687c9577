-- The values of availability search number n (0, 1, 2, ...) for the ceiling's pgbench run: one row,
-- each column the :variable of that name in availability.sql. Not sent by the service:
-- bench/ceiling.py computes them before the run. Like the load: a practitioner and 7 days from a
-- day within the next 4 weeks; the service asks from 12 hours (the longest appointment) before the
-- range. The @constant columns are the same for every request (pgbench -D); the others are
-- fetched in batches (@batch requests at a time).
-- @batch 10
-- @rate 6000
-- @constant clinic, timeout
select r.clinic, '29990ms' as timeout, p.id as practitioner, d.since - interval '12 hours' as earliest,
       d.since + interval '7 days' as until, d.since
  from ceiling.run r
  join ceiling.practitioners p on p.i = (n * 7919) % r.practitioners
  cross join lateral (select date_trunc('day', r.started) + (1 + (n * 104729) % 28) * interval '1 day' as since) d
