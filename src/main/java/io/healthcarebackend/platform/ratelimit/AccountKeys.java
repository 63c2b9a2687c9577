package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys for per-account counters: HMAC-SHA256 of the normalised e-mail ({@link EmailAddress}, the
 * same form accounts are stored and found by, so every spelling of an address has one key) under a key derived from
 * {@code PHI_INDEX_KEY} (domain-separated, so it reveals nothing about the PHI indexes). An
 * unkeyed hash would not do: e-mail addresses are guessable, and Redis must not hold them.
 */
final class AccountKeys {

    private final SecretKeySpec key;

    AccountKeys(String base64IndexKey) {
        byte[] root;
        try {
            root = Base64.getUrlDecoder().decode(base64IndexKey.strip().replace('+', '-').replace('/', '_')
                    .replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("PHI_INDEX_KEY is not base64");
        }
        if (root.length < 32) {
            throw new IllegalStateException("PHI_INDEX_KEY must be at least 32 bytes (base64)");
        }
        this.key = new SecretKeySpec(mac(new SecretKeySpec(root, "HmacSHA256"), "rate-limit account keys v1"),
                "HmacSHA256");
    }

    String account(EmailAddress email) {
        return token(mac(key, "account|" + email.value()));
    }

    /** The account together with the address it is tried from. */
    String source(EmailAddress email, String address) {
        return token(mac(key, "source|" + email.value() + "|" + ClientIp.rateKey(address)));
    }

    private static String token(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
