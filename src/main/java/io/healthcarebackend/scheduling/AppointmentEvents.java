package io.healthcarebackend.scheduling;

import java.time.Instant;
import java.util.UUID;

/**
 * Domain events of the scheduling module, published through the Modulith event publication
 * registry (stored in the booking's own transaction, delivered after commit, resubmitted after a
 * crash). They carry ids and times only, never PHI.
 */
public final class AppointmentEvents {

    private AppointmentEvents() {
    }

    public record AppointmentBooked(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId,
            Instant start, Instant end) {
    }

    public record AppointmentRescheduled(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId,
            Instant previousStart, Instant previousEnd, Instant start, Instant end) {
    }

    public record AppointmentCancelled(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId,
            Instant start, Instant end) {
    }

    public record AppointmentCheckedIn(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId) {
    }

    public record AppointmentCompleted(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId) {
    }

    public record AppointmentMarkedNoShow(UUID appointmentId, UUID clinicId, UUID patientId, UUID practitionerId) {
    }
}
