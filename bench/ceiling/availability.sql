-- Availability, GET /api/v1/practitioners/{id}/availability over 7 days: the statements the service
-- sends to PostgreSQL for one request, in order, each in a round trip of its own, with :name for
-- each parameter ($n in the service). The practitioner's hours and exceptions come from a cache in
-- a steady state; what is left is the range scan of the practitioner's active appointments.
-- scripts/bench.sh runs it with pgbench as the DB-only ceiling and fails when it no longer matches
-- what the service sends (CeilingDriftCheck; CeilingStatementsTest in make test). The values come
-- from availability.params.sql. docs/benchmarks.md explains.
BEGIN READ ONLY;
select set_config('app.clinic_id', :clinic, true), set_config('statement_timeout', :timeout, true);
select start_at, end_at from appointments
 where clinic_id = :clinic and practitioner_id = :practitioner and status in ('BOOKED', 'CHECKED_IN')
   and start_at >= :earliest and start_at < :until and end_at > :since order by start_at;
COMMIT;
