package io.healthcarebackend.notification.channel;

import java.nio.charset.StandardCharsets;

/** How an idempotency key travels in a header (HTTP, or an e-mail's Message-ID and X-Idempotency-Key). */
final class IdempotencyKeys {

    private static final String ATEXT_SYMBOLS = "!#$&'*+-/=?^_`{|}~.";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IdempotencyKeys() {
    }

    /**
     * The key with every character outside RFC 5322 {@code atext} and {@code .} percent-encoded
     * (UTF-8, and {@code %} itself too, so distinct keys stay distinct). Deterministic, so every
     * attempt at a message carries the same value; valid as the left part of a Message-ID and in
     * any HTTP header; no key can break or inject a header line. UUIDs and other plain keys stay as
     * they are.
     */
    static String atext(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || ATEXT_SYMBOLS.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
