package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.UUID;

/**
 * The appointment aggregate. Its verb methods are the state machine of api.md:
 * BOOKED → CHECKED_IN → COMPLETED; BOOKED → CANCELLED; BOOKED → NO_SHOW. Each returns the next
 * state or refuses with 409 INVALID_TRANSITION. The free text is held sealed ({@link StoredText});
 * only {@link AppointmentTexts} opens it, for an answer.
 */
record Appointment(UUID id, ClinicId clinicId, UUID patientId, UUID practitionerId, Instant start, Instant end,
        AppointmentStatus status, StoredText reason, StoredText cancelReason, UUID bookedBy, int version,
        Instant createdAt, Instant updatedAt) {

    Appointment checkIn() {
        return to(AppointmentStatus.CHECKED_IN, AppointmentStatus.BOOKED, cancelReason);
    }

    Appointment complete() {
        return to(AppointmentStatus.COMPLETED, AppointmentStatus.CHECKED_IN, cancelReason);
    }

    Appointment markNoShow() {
        return to(AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED, cancelReason);
    }

    Appointment cancel(StoredText why) {
        return to(AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED, why);
    }

    Appointment reschedule(Instant newStart, Instant newEnd) {
        requireStatus(AppointmentStatus.BOOKED);
        return new Appointment(id, clinicId, patientId, practitionerId, newStart, newEnd, status, reason,
                cancelReason, bookedBy, version + 1, createdAt, updatedAt);
    }

    private Appointment to(AppointmentStatus next, AppointmentStatus from, StoredText why) {
        requireStatus(from);
        return new Appointment(id, clinicId, patientId, practitionerId, start, end, next, reason, why, bookedBy,
                version + 1, createdAt, updatedAt);
    }

    private void requireStatus(AppointmentStatus expected) {
        if (status != expected) {
            throw new ApiException.Conflict("INVALID_TRANSITION",
                    "Not allowed while the appointment is " + status);
        }
    }
}
