package io.healthcarebackend.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Keeps session data unreadable at rest: IP address, user agent and device are sealed with
 * AES-256-GCM (random 96-bit nonce, the session id and field name as associated data, so a value
 * cannot be moved to another session or field), and networks are compared as keyed hashes, never
 * stored as addresses. The key is {@code SESSION_DATA_KEY} (32 bytes, base64); from it two keys
 * are derived, one to encrypt and one to hash.
 */
@Component
class SessionCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "v1:";

    private final SecretKeySpec encryption;
    private final SecretKeySpec hashing;

    SessionCipher(SessionSettings settings) {
        byte[] key = decode(settings.dataKey());
        this.encryption = new SecretKeySpec(derive(key, "session-data-encryption"), "AES");
        this.hashing = new SecretKeySpec(derive(key, "session-network-hash"), "HmacSHA256");
    }

    String seal(UUID session, String field, String value) {
        if (value == null) {
            return "";
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associated(session, field));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Session data could not be encrypted", e);
        }
    }

    /** The value, or null when absent or not openable (another key, another session's value). */
    String open(UUID session, String field, Object stored) {
        if (!(stored instanceof String text) || !text.startsWith(PREFIX)) {
            return null;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(128, raw, 0, 12));
            cipher.updateAAD(associated(session, field));
            return new String(cipher.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A keyed hash of a network (see {@link ClientNetwork}): equal networks, equal hashes; no address. */
    String network(String ip) {
        String network = ClientNetwork.of(ip);
        if (network == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashing);
            return HexFormat.of().formatHex(mac.doFinal(network.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] associated(UUID session, String field) {
        return (session + "/" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] derive(byte[] key, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException("SESSION_DATA_KEY is not set: 32 random bytes, base64 "
                    + "(make session-key prints one)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            key = Base64.getUrlDecoder().decode(base64.strip());
        }
        if (key.length < 32) {
            throw new IllegalStateException("SESSION_DATA_KEY must hold at least 32 bytes (base64)");
        }
        return key;
    }
}
