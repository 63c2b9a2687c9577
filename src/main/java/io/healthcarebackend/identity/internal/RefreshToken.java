package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * An opaque refresh token: clinic id, session id and 256 random bits, base64url-encoded. The
 * server keeps only the SHA-256 of the random part; the ids let it find the session (and set
 * the clinic for row-level security) without a global lookup.
 */
record RefreshToken(ClinicId clinic, UUID sessionId, byte[] secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 16 + 16 + 32;

    static RefreshToken fresh(ClinicId clinic, UUID sessionId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new RefreshToken(clinic, sessionId, secret);
    }

    static Optional<RefreshToken> parse(String token) {
        if (token == null || token.length() > 128) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != LENGTH) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        UUID clinic = new UUID(buffer.getLong(), buffer.getLong());
        UUID session = new UUID(buffer.getLong(), buffer.getLong());
        byte[] secret = new byte[32];
        buffer.get(secret);
        return Optional.of(new RefreshToken(clinic.equals(new UUID(0, 0)) ? null : new ClinicId(clinic), session,
                secret));
    }

    String encode() {
        UUID clinicValue = clinic == null ? new UUID(0, 0) : clinic.value();
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.putLong(clinicValue.getMostSignificantBits()).putLong(clinicValue.getLeastSignificantBits());
        buffer.putLong(sessionId.getMostSignificantBits()).putLong(sessionId.getLeastSignificantBits());
        buffer.put(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), storedHash);
    }
}
