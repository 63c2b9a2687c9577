package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A patient record. Every field but the ids and timestamps is PHI. */
record Patient(UUID id, ClinicId clinicId, String givenName, String familyName, LocalDate birthDate, Sex sex,
        String email, String phone, Address address, String mrn, int version, Instant createdAt, Instant updatedAt) {
}
