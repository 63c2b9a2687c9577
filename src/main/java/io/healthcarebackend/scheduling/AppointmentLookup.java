package io.healthcarebackend.scheduling;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an appointment's current state for other modules (a reminder checks, when it is due,
 * that the appointment is still booked at the time it was planned for). Runs in the caller's
 * clinic transaction; no PHI (no reason).
 */
public interface AppointmentLookup {

    Optional<Summary> find(ClinicId clinic, UUID appointmentId);

    record Summary(UUID id, UUID patientId, UUID practitionerId, Instant start, Instant end, String status) {

        public boolean booked() {
            return "BOOKED".equals(status);
        }
    }
}
