package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The opaque, short-lived token a user of an MFA-mandatory clinic gets from a correct password
 * when they have no second factor yet: clinic id, user id and 256 random bits, base64url. It is
 * not a JWT, so no endpoint but the two enrollment endpoints (which look it up) can accept it.
 * The server keeps only the SHA-256 of the random part; the ids set the clinic for row-level
 * security before the lookup.
 */
record EnrollmentToken(ClinicId clinic, UserId user, byte[] secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 16 + 16 + 32;
    private static final UUID NO_CLINIC = new UUID(0, 0);

    static EnrollmentToken fresh(ClinicId clinic, UserId user) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new EnrollmentToken(clinic, user, secret);
    }

    static Optional<EnrollmentToken> parse(String token) {
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
        UUID user = new UUID(buffer.getLong(), buffer.getLong());
        byte[] secret = new byte[32];
        buffer.get(secret);
        return Optional.of(new EnrollmentToken(clinic.equals(NO_CLINIC) ? null : new ClinicId(clinic),
                new UserId(user), secret));
    }

    String encode() {
        UUID clinicValue = clinic == null ? NO_CLINIC : clinic.value();
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.putLong(clinicValue.getMostSignificantBits()).putLong(clinicValue.getLeastSignificantBits());
        buffer.putLong(user.value().getMostSignificantBits()).putLong(user.value().getLeastSignificantBits());
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
