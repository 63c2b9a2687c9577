package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.practitioner.PractitionerSchedules;
import io.healthcarebackend.practitioner.WeeklySchedule;
import io.healthcarebackend.scheduling.AppointmentEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Booking and the appointment life cycle. Each operation is one transaction in which the change,
 * its domain event (outbox), its audit event and its idempotency record commit together or not at all.
 */
@Service
class BookingService {

    static final Duration MAX_LENGTH = Duration.ofHours(12);

    private final AppointmentRepository appointments;
    private final PractitionerSchedules schedules;
    private final Clinics clinics;
    private final ApplicationEventPublisher events;
    private final IdempotencyKeys idempotency;
    private final AuditTrail audit;
    private final Clock clock;

    BookingService(AppointmentRepository appointments, PractitionerSchedules schedules, Clinics clinics,
            ApplicationEventPublisher events, IdempotencyKeys idempotency, AuditTrail audit, Clock clock) {
        this.appointments = appointments;
        this.schedules = schedules;
        this.clinics = clinics;
        this.events = events;
        this.idempotency = idempotency;
        this.audit = audit;
        this.clock = clock;
    }

    record Booking(UUID patientId, UUID practitionerId, Instant start, Instant end, String reason) {
    }

    @Transactional
    Appointment book(CurrentUser user, Booking b) {
        ClinicId clinic = user.clinic();
        checkWithinHours(clinic, b.practitionerId(), b.start(), b.end());
        Instant now = clock.instant();
        Appointment appointment = new Appointment(Ids.newId(), clinic, b.patientId(), b.practitionerId(), b.start(),
                b.end(), AppointmentStatus.BOOKED, blankToNull(b.reason()), null, user.id().value(), 0, now, now);
        try {
            appointments.insert(appointment);
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            throw mapped(e);
        }
        audited(user, AuditAction.CREATE, appointment);
        events.publishEvent(new AppointmentEvents.AppointmentBooked(appointment.id(), clinic.value(),
                appointment.patientId(), appointment.practitionerId(), appointment.start(), appointment.end()));
        return appointment;
    }

    record Outcome(Appointment booked, IdempotencyKeys.Stored replayed) {
    }

    /**
     * Books under an Idempotency-Key: the key's claim, the booking and the stored response commit
     * together, so a retry after a lost response gets the same answer and books nothing twice.
     */
    @Transactional
    Outcome bookOnce(CurrentUser user, Booking b, String key, java.util.function.Function<Appointment, String> render) {
        var stored = idempotency.claim(user.clinic(), user.id(), key, hash(b));
        if (stored.isPresent()) {
            return new Outcome(null, stored.get());
        }
        Appointment booked = book(user, b);
        idempotency.complete(user.clinic(), user.id(), key, 201, render.apply(booked));
        return new Outcome(booked, null);
    }

    private static byte[] hash(Booking b) {
        String canonical = b.patientId() + "|" + b.practitionerId() + "|" + b.start() + "|" + b.end() + "|"
                + (b.reason() == null ? "" : b.reason());
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional(readOnly = true)
    Appointment get(ClinicId clinic, UUID id) {
        return appointments.find(clinic, id).orElseThrow(BookingService::notFound);
    }

    @Transactional(readOnly = true)
    java.util.List<Appointment> list(ClinicId clinic, AppointmentRepository.Filter filter) {
        return appointments.list(clinic, filter);
    }

    /** Atomic: the old time is released only if the new one is taken, in the same statement. */
    @Transactional
    Appointment reschedule(CurrentUser user, UUID id, Instant start, Instant end) {
        ClinicId clinic = user.clinic();
        checkRange(start, end);
        Appointment current = appointments.lock(clinic, id).orElseThrow(BookingService::notFound);
        Appointment moved = current.reschedule(start, end);
        checkWithinHours(clinic, current.practitionerId(), start, end);
        Appointment saved;
        try {
            saved = appointments.save(moved, clock.instant());
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            throw mapped(e);
        }
        audited(user, AuditAction.UPDATE, saved);
        events.publishEvent(new AppointmentEvents.AppointmentRescheduled(id, clinic.value(), current.patientId(),
                current.practitionerId(), current.start(), current.end(), start, end));
        return saved;
    }

    @Transactional
    Appointment cancel(CurrentUser user, UUID id, String reason) {
        ClinicId clinic = user.clinic();
        return transition(user, id, a -> a.cancel(reason.strip()), a -> new AppointmentEvents.AppointmentCancelled(
                a.id(), clinic.value(), a.patientId(), a.practitionerId(), a.start(), a.end()));
    }

    @Transactional
    Appointment checkIn(CurrentUser user, UUID id) {
        ClinicId clinic = user.clinic();
        return transition(user, id, Appointment::checkIn, a -> new AppointmentEvents.AppointmentCheckedIn(
                a.id(), clinic.value(), a.patientId(), a.practitionerId()));
    }

    @Transactional
    Appointment complete(CurrentUser user, UUID id) {
        ClinicId clinic = user.clinic();
        return transition(user, id, Appointment::complete, a -> new AppointmentEvents.AppointmentCompleted(
                a.id(), clinic.value(), a.patientId(), a.practitionerId()));
    }

    @Transactional
    Appointment markNoShow(CurrentUser user, UUID id) {
        ClinicId clinic = user.clinic();
        return transition(user, id, Appointment::markNoShow, a -> new AppointmentEvents.AppointmentMarkedNoShow(
                a.id(), clinic.value(), a.patientId(), a.practitionerId()));
    }

    static void checkRange(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw new ApiException.BadRequest("INVALID_TIME_RANGE", "start must be before end");
        }
        if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
            throw new ApiException.BadRequest("INVALID_TIME_RANGE", "an appointment lasts at most 12 hours");
        }
    }

    /** Locks the row, applies the aggregate's verb, saves, and publishes the verb's event. */
    private Appointment transition(CurrentUser user, UUID id, java.util.function.UnaryOperator<Appointment> verb,
            java.util.function.Function<Appointment, Object> event) {
        Appointment current = appointments.lock(user.clinic(), id).orElseThrow(BookingService::notFound);
        Appointment saved = appointments.save(verb.apply(current), clock.instant());
        audited(user, AuditAction.UPDATE, saved);
        events.publishEvent(event.apply(saved));
        return saved;
    }

    private void audited(CurrentUser user, AuditAction action, Appointment a) {
        audit.recordWithChange(AuditEvent.by(user, action, AuditOutcome.SUCCESS)
                .about("Appointment", a.id(), a.patientId()));
    }

    private void checkWithinHours(ClinicId clinic, UUID practitionerId, Instant start, Instant end) {
        checkRange(start, end);
        WeeklySchedule schedule = schedules.schedule(clinic, practitionerId)
                .orElseThrow(() -> new ApiException.NotFound("Practitioner"));
        if (!schedule.allows(start, end, clinics.timeZone(clinic))) {
            throw new ApiException.Unprocessable("OUTSIDE_WORKING_HOURS",
                    "The time is outside the practitioner's working hours or during an absence");
        }
    }

    /**
     * Overlap → 409 SLOT_TAKEN. Two transactions inserting overlapping ranges at the same moment
     * can also end in a deadlock that PostgreSQL breaks by aborting one of them: that one lost the
     * race for the slot, so it gets the same answer.
     */
    private static RuntimeException mapped(org.springframework.dao.DataAccessException e) {
        if (PgErrors.is(e, PgErrors.EXCLUSION_VIOLATION) || PgErrors.is(e, PgErrors.DEADLOCK)) {
            return new ApiException.Conflict("SLOT_TAKEN",
                    "The practitioner or the patient already has an appointment at this time");
        }
        if (PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION)) {
            return new ApiException.NotFound("Patient");
        }
        return e;
    }

    private static ApiException notFound() {
        return new ApiException.NotFound("Appointment");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
