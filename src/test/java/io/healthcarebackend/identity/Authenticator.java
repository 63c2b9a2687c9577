package io.healthcarebackend.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a phone's authenticator app does with the enrolled key: RFC 6238 codes (HMAC-SHA1, six
 * digits, 30 s), written independently of the service's own implementation so the two check each
 * other. Tests pick the time step themselves, so codes one or two steps away can be tried.
 */
final class Authenticator {

    private final byte[] key;

    Authenticator(String base32Secret) {
        this.key = base32(base32Secret);
    }

    static long currentStep() {
        return Instant.now().getEpochSecond() / 30;
    }

    /**
     * Waits, if needed, until at least {@code seconds} remain in the current time step, so that a
     * test's "current step" is still current on the server when its requests arrive.
     */
    static long freshStep(int seconds) {
        long now = System.currentTimeMillis();
        long left = 30_000 - now % 30_000;
        if (left < seconds * 1000L) {
            try {
                Thread.sleep(left + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return currentStep();
    }

    String code(long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int o = h[19] & 0xf;
            int value = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", value % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] key() {
        return key.clone();
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
