package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.UUID;

/**
 * A patient row as stored: ids and timestamps in clear, every PHI field a ciphertext (null when
 * the optional field is empty, or when the record was erased). The push token is sealed the same
 * way but kept apart from {@link Sealed}: it is write-only (never part of {@link Patient} or an
 * answer) and set by its own route, so a PATCH of the record never touches it.
 */
record StoredPatient(UUID id, ClinicId clinicId, Sealed fields, byte[] pushToken, int version, Instant createdAt,
        Instant updatedAt, boolean erased, boolean restricted) {

    /** The encrypted PHI fields, one ciphertext per column. */
    record Sealed(byte[] givenName, byte[] familyName, byte[] birthDate, byte[] sex, byte[] email, byte[] phone,
            byte[] address, byte[] mrn) {
    }
}
