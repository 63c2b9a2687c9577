package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.time.Instant;
import java.util.UUID;

/**
 * A server-side session behind a refresh token. Only the token's hash is kept. {@code ip} and
 * {@code userAgent} are those of the latest sign-in or refresh; {@code device} is the device the
 * session was opened on; {@code network} the keyed hash of the network it was last used from;
 * {@code flag} why it was found suspicious, if it was.
 */
record Session(UUID id, ClinicId clinicId, UserId userId, Role role, byte[] refreshHash, Instant createdAt,
        Instant lastSeenAt, Instant expiresAt, Instant idleExpiresAt, String ip, String userAgent, String device,
        String network, String flag) {

    boolean aliveAt(Instant now) {
        return now.isBefore(expiresAt) && now.isBefore(idleExpiresAt);
    }

    /** What a refresh changes: the token, when it was last used and from where. */
    record Rotation(byte[] expectedHash, byte[] newHash, Instant now, Instant idleExpiresAt, String ip,
            String userAgent, String network) {
    }

    /** What a request's liveness check learned about the session. */
    enum Liveness {
        GONE, ACTIVE,
        /** Alive, but used from another network than a moment ago. */
        OTHER_NETWORK_AT_ONCE
    }
}
