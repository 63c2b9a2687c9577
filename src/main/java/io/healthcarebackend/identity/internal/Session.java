package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A server-side session behind a refresh token. Only the token's hash is kept. {@code ip} and
 * {@code userAgent} are those of the latest sign-in or refresh; {@code device} is the device the
 * session was opened on; {@code network} the keyed hash of the network it was last used from;
 * {@code flag} why it was found suspicious, if it was; {@code retiredHashes} the hashes of the
 * refresh tokens it rotated away, newest first (at most {@link #RETIRED_KEPT}), and
 * {@code rotatedAt} when it last rotated (null before its first refresh).
 */
record Session(UUID id, ClinicId clinicId, UserId userId, Role role, byte[] refreshHash, Instant createdAt,
        Instant lastSeenAt, Instant expiresAt, Instant idleExpiresAt, String ip, String userAgent, String device,
        String network, String flag, List<byte[]> retiredHashes, Instant rotatedAt) {

    /** How many retired refresh-token hashes a session remembers; older ones count as never issued. */
    static final int RETIRED_KEPT = 64;

    Session {
        retiredHashes = retiredHashes == null ? List.of() : List.copyOf(retiredHashes);
    }

    boolean aliveAt(Instant now) {
        return now.isBefore(expiresAt) && now.isBefore(idleExpiresAt);
    }

    /**
     * What a presented refresh token (its hash) is to this session: the current one; the one
     * rotated away at most {@code grace} before {@code now} (a concurrent duplicate: another tab, a
     * retry); an earlier one (a reuse: two parties hold the token chain); or none the session
     * ever issued (a forgery naming this session).
     */
    Presented recognise(byte[] hash, Instant now, Duration grace) {
        if (MessageDigest.isEqual(hash, refreshHash)) {
            return Presented.CURRENT;
        }
        for (int i = 0; i < retiredHashes.size(); i++) {
            if (MessageDigest.isEqual(hash, retiredHashes.get(i))) {
                boolean justRotated = i == 0 && rotatedAt != null && !now.isAfter(rotatedAt.plus(grace));
                return justRotated ? Presented.JUST_ROTATED : Presented.RETIRED;
            }
        }
        return Presented.NEVER_ISSUED;
    }

    enum Presented {
        CURRENT, JUST_ROTATED, RETIRED, NEVER_ISSUED
    }

    /**
     * What a refresh changes: the token (the expected one joins the retired hashes, {@code now}
     * becomes the rotation time), when it was last used and from where.
     */
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
