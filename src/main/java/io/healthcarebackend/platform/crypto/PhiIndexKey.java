package io.healthcarebackend.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code PHI_INDEX_KEY} ({@code app.phi.index-key}): the one secret behind every keyed hash the
 * service stores of PHI or of guessable identifiers — the patients' blind indexes, the rate
 * limiter's account keys, the idempotency request hashes. An unkeyed hash of such low-entropy
 * values can be reversed by trying candidates; an HMAC cannot without this key.
 *
 * <p>Each use other than the blind indexes (which predate this and use the key itself) takes its
 * own key {@linkplain #derive derived} for its purpose, so the hashes of one use say nothing about
 * those of another.
 */
public final class PhiIndexKey {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private PhiIndexKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, ALGORITHM);
    }

    /** The configured key: base64 (either alphabet, padding optional) of at least 32 bytes. */
    public static PhiIndexKey of(String base64) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(base64.strip().replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("PHI_INDEX_KEY is not base64");
        }
        if (raw.length < 32) {
            throw new IllegalStateException("PHI_INDEX_KEY must be at least 32 bytes (base64)");
        }
        return new PhiIndexKey(raw);
    }

    /** A key of its own for one purpose: the HMAC of the purpose's name under this key. */
    public PhiIndexKey derive(String purpose) {
        return new PhiIndexKey(mac(purpose));
    }

    /** HMAC-SHA256 of the text's UTF-8 bytes. */
    public byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
