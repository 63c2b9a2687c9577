package io.healthcarebackend.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The chain's hash function. An event's canonical form is every stored field in a fixed order,
 * each length-prefixed (so no two different events encode alike), and a chain link is
 * SHA-256(previous link || canonical event). Plain SHA-256 rather than a keyed MAC so an export
 * can be verified by anyone with the signed checkpoint's public key.
 */
final class AuditCanonical {

    static final byte[] GENESIS = new byte[32];

    private AuditCanonical() {
    }

    static byte[] link(byte[] previous, StoredEvent e) {
        MessageDigest sha = sha256();
        sha.update(previous);
        sha.update(encode(e));
        return sha.digest();
    }

    static byte[] encode(StoredEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, "v1");
        field(out, e.id());
        field(out, e.clinicId());
        field(out, Long.toString(micros(e.at())));
        field(out, e.actorId());
        field(out, e.actorRole());
        field(out, e.action());
        field(out, e.resourceType());
        field(out, e.resourceId());
        field(out, e.patientId());
        field(out, e.outcome());
        field(out, e.ip());
        field(out, e.userAgent());
        field(out, e.traceId());
        field(out, Boolean.toString(e.emergency()));
        field(out, e.reason());
        return out.toByteArray();
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static void field(ByteArrayOutputStream out, Object value) {
        if (value == null) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] copy(byte[] hash) {
        return Arrays.copyOf(hash, hash.length);
    }
}
