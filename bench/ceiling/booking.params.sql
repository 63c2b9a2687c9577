-- The values of booking number n (0, 1, 2, ...) for the ceiling's pgbench run: one row, each column
-- the :variable of that name in booking.sql. Not sent by the service: bench/ceiling.py computes them
-- before the run. Booking n takes practitioner n mod P, the (n div P)-th half hour from ten years
-- ahead and patient n mod N, so no two bookings collide (nor with the service's, from tomorrow on),
-- and each has its own key, appointment, publication and job instances (@unique: never reused).
-- The @constant columns are the same for every request (pgbench -D); the others are fetched @batch
-- requests at a time. The JSON texts (event, job data, stored reply) are those of one booking, as
-- long as the service's; the audit event's id may repeat (the table has no key on it). pgbench
-- cannot send NULL: a null here is sent as an empty value.
-- @batch 10
-- @unique
-- @rate 5000
-- @constant clinic, timeout, user_id, status, reason_sealed, event_id, role, action, resource_type, outcome, ip, user_agent, trace_id, emergency, reason, event_type, listener_id, serialized_event, publication_status, completion_attempts, confirmation_task, confirmation_data, confirmation_priority, reminder_task, day_reminder_data, hour_reminder_data, reminder_priority, response_status, response_body
select b.clinic, '29990ms' as timeout, b.user_id, 'ceiling-' || n as idempotency_key,
       sha256(convert_to(n::text, 'UTF8')) as request_hash, b.patient, b.appointment, b.practitioner, b.start_at,
       b.start_at + interval '30 minutes' as end_at, 'BOOKED' as status, null::bytea as reason_sealed, b.now,
       b.event_id, b.role, 'CREATE' as action, 'Appointment' as resource_type, 'SUCCESS' as outcome,
       '127.0.0.1' as ip, 'healthcare-backend-bench' as user_agent, b.trace_id, false as emergency,
       null::text as reason, md5('publication ' || n || b.r_started)::uuid as publication,
       'io.healthcarebackend.scheduling.AppointmentEvents$AppointmentBooked' as event_type,
       'io.healthcarebackend.notification.stream.AppointmentEventRelay.on('
           || 'io.healthcarebackend.scheduling.AppointmentEvents$AppointmentBooked)' as listener_id,
       format('{"appointmentId":"%s","clinicId":"%s","patientId":"%s","practitionerId":"%s",'
              '"start":"2036-12-11T17:00:00Z","end":"2036-12-11T17:30:00Z"}',
              b.example, b.clinic, b.example, b.example) as serialized_event,
       'PUBLISHED' as publication_status, 1 as completion_attempts,
       'appointment-confirmation' as confirmation_task, b.appointment || '.C0.' || b.epoch as confirmation_instance,
       convert_to(format('{"clinicId":"%s","appointmentId":"%s","kind":"CONFIRMATION","offset":0,'
                         '"start":"2036-12-11T17:00:00Z","due":"2026-12-07T20:22:41.537764818Z"}',
                         b.clinic, b.example), 'UTF8') as confirmation_data,
       b.now as confirmation_due, 100 as confirmation_priority, 'appointment-reminder' as reminder_task,
       b.appointment || '.R1440.' || b.epoch as day_reminder_instance,
       convert_to(format('{"clinicId":"%s","appointmentId":"%s","kind":"REMINDER","offset":1440,'
                         '"start":"2036-12-11T17:00:00Z","due":"2036-12-10T17:00:00Z"}',
                         b.clinic, b.example), 'UTF8') as day_reminder_data,
       b.start_at - interval '1 day' as day_reminder_due,
       b.appointment || '.R120.' || b.epoch as hour_reminder_instance,
       convert_to(format('{"clinicId":"%s","appointmentId":"%s","kind":"REMINDER","offset":120,'
                         '"start":"2036-12-11T17:00:00Z","due":"2036-12-11T15:00:00Z"}',
                         b.clinic, b.example), 'UTF8') as hour_reminder_data,
       b.start_at - interval '2 hours' as hour_reminder_due, 0 as reminder_priority, 201 as response_status,
       format('{"id":"%s","patientId":"%s","practitionerId":"%s","start":"2036-12-11T17:00:00Z",'
              '"end":"2036-12-11T17:30:00Z","status":"BOOKED","reason":null,"cancelReason":null,"version":0,'
              '"createdAt":"2026-12-07T20:22:41.505895698Z","updatedAt":"2026-12-07T20:22:41.505895698Z",'
              '"restricted":false}', b.example, b.example, b.example) as response_body
  from (select r.clinic, r.user_id, r.role, r.event_id, r.trace_id, r.event_id as example,
               r.started + n * interval '100 microseconds' as now,
               pa.id as patient, pr.id as practitioner, md5('appointment ' || n || r.started)::uuid as appointment,
               r.started as r_started,
               date_trunc('day', r.started) + interval '10 years'
                   + (n / r.practitioners) * interval '30 minutes' as start_at,
               extract(epoch from date_trunc('day', r.started) + interval '10 years'
                   + (n / r.practitioners) * interval '30 minutes')::bigint as epoch
          from ceiling.run r
          join ceiling.patients pa on pa.i = n % r.patients
          join ceiling.practitioners pr on pr.i = n % r.practitioners) b
