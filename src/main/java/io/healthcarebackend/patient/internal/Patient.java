package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A patient record. Every field but the ids, timestamps and the restricted flag is PHI. A
 * restricted record (a VIP, a staff member, a protected person) opens only through break-glass
 * emergency access.
 */
record Patient(UUID id, ClinicId clinicId, String givenName, String familyName, LocalDate birthDate, Sex sex,
        String email, String phone, Address address, String mrn, int version, Instant createdAt, Instant updatedAt,
        boolean restricted) {

    /** What a search shows of a restricted record to someone without a grant: that it exists, nothing else. */
    static Patient redacted(StoredPatient row) {
        return new Patient(row.id(), row.clinicId(), null, null, null, null, null, null, null, null, row.version(),
                row.createdAt(), row.updatedAt(), true);
    }
}
