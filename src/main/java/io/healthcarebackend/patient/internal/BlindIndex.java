package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.PhiIndexKey;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    private final PhiIndexKey key;

    BlindIndex(@Value("${app.phi.index-key}") String base64Key) {
        // The key itself, not one derived from it: tokens stored before PhiIndexKey existed still match.
        this.key = PhiIndexKey.of(base64Key);
    }

    String token(ClinicId clinic, String field, String value) {
        byte[] digest = key.mac(clinic + "|" + field + "|" + normalize(value));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
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
}
