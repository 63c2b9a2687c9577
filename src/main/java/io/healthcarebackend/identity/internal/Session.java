package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.time.Instant;
import java.util.UUID;

/** A server-side session behind a refresh token. Only the token's hash is kept. */
record Session(UUID id, ClinicId clinicId, UserId userId, Role role, byte[] refreshHash, Instant createdAt,
        Instant lastSeenAt, Instant expiresAt, Instant idleExpiresAt, String ip, String userAgent) {

    boolean aliveAt(Instant now) {
        return now.isBefore(expiresAt) && now.isBefore(idleExpiresAt);
    }
}
