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
 * An opaque token: clinic id, the id of what it opens and 256 random bits, base64url-encoded.
 * Refresh tokens name a session; MFA enrollment tokens (handed out instead of a session when a
 * clinic requires a second factor the user has not set up) name the user — not JWTs, so no other
 * endpoint can mistake one for an access token. The server keeps only the SHA-256 of the random
 * part; the ids let it find the record (and set the clinic for row-level security) without a
 * global lookup.
 */
record OpaqueToken(ClinicId clinic, UUID id, byte[] secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 16 + 16 + 32;

    static OpaqueToken fresh(ClinicId clinic, UUID id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new OpaqueToken(clinic, id, secret);
    }

    static Optional<OpaqueToken> parse(String token) {
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
        UUID id = new UUID(buffer.getLong(), buffer.getLong());
        byte[] secret = new byte[32];
        buffer.get(secret);
        return Optional.of(new OpaqueToken(clinic.equals(new UUID(0, 0)) ? null : new ClinicId(clinic), id,
                secret));
    }

    String encode() {
        UUID clinicValue = clinic == null ? new UUID(0, 0) : clinic.value();
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.putLong(clinicValue.getMostSignificantBits()).putLong(clinicValue.getLeastSignificantBits());
        buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
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
        return storedHash != null && MessageDigest.isEqual(hash(), storedHash);
    }
}
