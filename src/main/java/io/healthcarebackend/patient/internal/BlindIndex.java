package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keyed HMAC-SHA256 "blind index" tokens for exact-match search over PHI. A token depends on the
 * key, the clinic and the field, so equal names in two clinics give unrelated tokens and the
 * database never needs the plaintext to answer a search. Values are normalised first (Unicode
 * NFKD, accents dropped, lower case, single spaces) so "Zoë" finds "zoe".
 */
@Component
class BlindIndex {

    private static final int TOKEN_BYTES = 16;

    private final SecretKeySpec key;

    BlindIndex(@Value("${app.phi.index-key}") String base64Key) {
        byte[] raw = decode(base64Key);
        if (raw.length < 32) {
            throw new IllegalStateException("PHI_INDEX_KEY must be at least 32 bytes (base64)");
        }
        this.key = new SecretKeySpec(raw, "HmacSHA256");
    }

    String token(ClinicId clinic, String field, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((clinic + "|" + field + "|").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(normalize(value).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One token per word of the given and family names: a search for any of them matches. */
    List<String> nameTokens(ClinicId clinic, String... names) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String name : names) {
            for (String word : words(name)) {
                tokens.add(token(clinic, "name", word));
            }
        }
        return List.copyOf(tokens);
    }

    static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(normalize(text).split("[\\s\\-'’.,]+")).filter(w -> !w.isEmpty()).toList();
    }

    static String normalize(String value) {
        String decomposed = Normalizer.normalize(value.strip(), Normalizer.Form.NFKD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getUrlDecoder().decode(base64.strip().replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("PHI_INDEX_KEY is not base64");
        }
    }
}
