package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.crypto.PhiIndexKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Keys for per-account counters: HMAC-SHA256 of the normalised e-mail ({@link EmailAddress}, the
 * same form accounts are stored and found by, so every spelling of an address has one key) under a key derived from
 * {@code PHI_INDEX_KEY} (domain-separated, so it reveals nothing about the PHI indexes). An
 * unkeyed hash would not do: e-mail addresses are guessable, and Redis must not hold them.
 */
final class AccountKeys {

    private final PhiIndexKey key;

    AccountKeys(String base64IndexKey) {
        this.key = PhiIndexKey.of(base64IndexKey).derive("rate-limit account keys v1");
    }

    String account(EmailAddress email) {
        return token(key.mac("account|" + email.value()));
    }

    /** The account together with the address it is tried from. */
    String source(EmailAddress email, String address) {
        return token(key.mac("source|" + email.value() + "|" + ClientIp.rateKey(address)));
    }

    private static String token(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }
}
