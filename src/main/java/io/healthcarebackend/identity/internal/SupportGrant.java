package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.UUID;

/**
 * A platform administrator's time-boxed access to one clinic's administration, with a reason,
 * decided by the clinic's administrator. Active only while APPROVED and before {@code expiresAt}.
 */
record SupportGrant(UUID id, ClinicId clinicId, UUID requestedBy, String reason, int durationMinutes, Status status,
        Instant requestedAt, UUID decidedBy, Instant decidedAt, Instant approvedAt, Instant expiresAt, UUID endedBy,
        Instant endedAt) {

    enum Status {
        PENDING, APPROVED, DENIED, REVOKED, EXPIRED
    }
}
