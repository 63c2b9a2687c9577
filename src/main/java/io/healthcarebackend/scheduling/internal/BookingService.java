package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.patient.PatientRecords;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.Role;
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
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Booking and the appointment life cycle. Each operation is one transaction in which the change,
 * its domain event (outbox), its audit event and its idempotency record commit together or not at all.
 *
 * <p>Every id a request names is checked against the caller's clinic first, in this transaction
 * (under row-level security), before anything that could tell another clinic's rows apart from
 * missing ones: a patient or practitioner of another clinic is a 404 exactly like an id that does
 * not exist, whatever their appointments. A restricted patient's appointments follow the patient
 * record's break-glass rule ({@link PatientRecords}). Times before now are refused (422
 * BOOKING_IN_PAST) unless a clinic administrator asks for back-dating explicitly, which is audited.
 */
@Service
class BookingService {

    static final Duration MAX_LENGTH = Duration.ofHours(12);
    private static final String BACKDATED = "back-dated by a clinic administrator";

    private final AppointmentRepository appointments;
    private final PractitionerSchedules schedules;
    private final Clinics clinics;
    private final ApplicationEventPublisher events;
    private final IdempotencyKeys idempotency;
    private final AuditTrail audit;
    private final PatientRecords patients;
    private final AppointmentTexts texts;
    private final Clock clock;

    BookingService(AppointmentRepository appointments, PractitionerSchedules schedules, Clinics clinics,
            ApplicationEventPublisher events, IdempotencyKeys idempotency, AuditTrail audit, PatientRecords patients,
            AppointmentTexts texts, Clock clock) {
        this.appointments = appointments;
        this.patients = patients;
        this.texts = texts;
        this.schedules = schedules;
        this.clinics = clinics;
        this.events = events;
        this.idempotency = idempotency;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code backdate}: a clinic administrator's explicit request to book a time already begun or past. */
    record Booking(UUID patientId, UUID practitionerId, Instant start, Instant end, String reason, boolean backdate) {
    }

    @Transactional
    Appointment book(CurrentUser user, Booking b) {
        ClinicId clinic = user.clinic();
        checkRange(b.start(), b.end());
        patients.requireActive(user, b.patientId());
        WeeklySchedule schedule = scheduleOf(clinic, b.practitionerId());
        Instant now = clock.instant();
        boolean backdated = checkNotPast(user, b.start(), now, b.backdate());
        checkWithinHours(clinic, schedule, b.start(), b.end());
        UUID id = Ids.newId();
        StoredText reason = texts.seal(clinic, b.patientId(), id, AppointmentTexts.REASON, blankToNull(b.reason()));
        Appointment appointment = new Appointment(id, clinic, b.patientId(), b.practitionerId(), b.start(),
                b.end(), AppointmentStatus.BOOKED, reason, StoredText.NONE, user.id().value(), 0, now, now);
        try {
            appointments.insert(appointment);
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            throw mapped(e);
        }
        audited(user, AuditAction.CREATE, appointment, backdated ? BACKDATED : null);
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
        var stored = idempotency.claim(user.clinic(), user.id(), key, canonical(b));
        if (stored.isPresent()) {
            return new Outcome(null, stored.get());
        }
        Appointment booked = book(user, b);
        idempotency.complete(user.clinic(), user.id(), key, 201, render.apply(booked));
        return new Outcome(booked, null);
    }

    /** Everything of the request the booking depends on, as one text (it is PHI: only its keyed hash is stored). */
    static String canonical(Booking b) {
        return (b.backdate() ? "backdate|" : "") + b.patientId() + "|" + b.practitionerId() + "|"
                + b.start() + "|" + b.end() + "|" + (b.reason() == null ? "" : b.reason());
    }

    @Transactional(readOnly = true)
    Appointment get(CurrentUser user, UUID id) {
        Appointment appointment = appointments.find(user.clinic(), id).orElseThrow(BookingService::notFound);
        patients.requireAccess(user, appointment.patientId());
        return appointment;
    }

    /**
     * A page of appointments, and which of their patients the caller may not see. A list about one
     * patient is that patient's data: refused like the record when it is restricted.
     */
    @Transactional(readOnly = true)
    Listed list(CurrentUser user, AppointmentRepository.Filter filter) {
        if (filter.patientId() != null) {
            patients.requireAccess(user, filter.patientId());
        }
        java.util.List<Appointment> rows = appointments.list(user.clinic(), filter);
        return new Listed(rows, patients.closedTo(user, rows.stream().map(Appointment::patientId).toList()));
    }

    record Listed(java.util.List<Appointment> rows, java.util.Set<UUID> closedPatients) {
    }

    /** Atomic: the old time is released only if the new one is taken, in the same statement. */
    @Transactional
    Appointment reschedule(CurrentUser user, UUID id, Instant start, Instant end, boolean backdate) {
        ClinicId clinic = user.clinic();
        checkRange(start, end);
        Appointment current = appointments.lock(clinic, id).orElseThrow(BookingService::notFound);
        patients.requireAccess(user, current.patientId());
        Appointment moved = current.reschedule(start, end);
        boolean backdated = checkNotPast(user, start, clock.instant(), backdate);
        checkWithinHours(clinic, scheduleOf(clinic, current.practitionerId()), start, end);
        Appointment saved;
        try {
            saved = appointments.save(moved, clock.instant());
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            throw mapped(e);
        }
        audited(user, AuditAction.UPDATE, saved, backdated ? BACKDATED : null);
        events.publishEvent(new AppointmentEvents.AppointmentRescheduled(id, clinic.value(), current.patientId(),
                current.practitionerId(), current.start(), current.end(), start, end));
        return saved;
    }

    @Transactional
    Appointment cancel(CurrentUser user, UUID id, String reason) {
        ClinicId clinic = user.clinic();
        return transition(user, id, a -> a.cancel(texts.seal(clinic, a.patientId(), a.id(),
                AppointmentTexts.CANCEL_REASON, reason.strip())), BookingService::cancelled);
    }

    /**
     * The patient is being erased (in the caller's transaction): every BOOKED appointment of theirs
     * that has not started is cancelled through the ordinary path (audited, its event withdraws
     * the reminders and tells the staff screens), without a cancellation text. No access check:
     * the erasure was authorised, and the record is already a tombstone.
     */
    @Transactional
    int cancelForErasure(CurrentUser user, UUID patientId) {
        var future = appointments.lockFutureBooked(user.clinic(), patientId, clock.instant());
        for (Appointment current : future) {
            Appointment saved = appointments.save(current.cancel(StoredText.NONE), clock.instant());
            audited(user, AuditAction.UPDATE, saved, "cancelled: patient erased");
            events.publishEvent(cancelled(saved));
        }
        return future.size();
    }

    private static AppointmentEvents.AppointmentCancelled cancelled(Appointment a) {
        return new AppointmentEvents.AppointmentCancelled(a.id(), a.clinicId().value(), a.patientId(),
                a.practitionerId(), a.start(), a.end());
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
        patients.requireAccess(user, current.patientId());
        Appointment saved = appointments.save(verb.apply(current), clock.instant());
        audited(user, AuditAction.UPDATE, saved, null);
        events.publishEvent(event.apply(saved));
        return saved;
    }

    private void audited(CurrentUser user, AuditAction action, Appointment a, String note) {
        AuditEvent event = AuditEvent.by(user, action, AuditOutcome.SUCCESS).about("Appointment", a.id(), a.patientId());
        audit.recordWithChange(note == null ? event : event.reason(note));
    }

    /**
     * A time that has begun is refused with 422 BOOKING_IN_PAST, unless the caller asked for
     * back-dating explicitly; only a clinic administrator may (403 BACKDATING_NOT_ALLOWED). True
     * when the booking is back-dated (the audit event says so).
     */
    private static boolean checkNotPast(CurrentUser user, Instant start, Instant now, boolean backdate) {
        if (!start.isBefore(now)) {
            return false;
        }
        if (!backdate) {
            throw new ApiException.Unprocessable("BOOKING_IN_PAST",
                    "The time has already begun; a clinic administrator may back-date with \"backdate\": true");
        }
        if (!user.is(Role.CLINIC_ADMIN)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "BACKDATING_NOT_ALLOWED",
                    "Only a clinic administrator may book a time in the past");
        }
        return true;
    }

    private WeeklySchedule scheduleOf(ClinicId clinic, UUID practitionerId) {
        return schedules.schedule(clinic, practitionerId).orElseThrow(() -> new ApiException.NotFound("Practitioner"));
    }

    private void checkWithinHours(ClinicId clinic, WeeklySchedule schedule, Instant start, Instant end) {
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
