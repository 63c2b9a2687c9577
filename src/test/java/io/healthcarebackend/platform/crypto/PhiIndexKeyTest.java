package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The keyed hashes stay what they were before they shared this class: blind index tokens and
 * rate-limit keys already stored must still match.
 */
class PhiIndexKeyTest {

    private static final String KEY = "dGVzdC1vbmx5LXBoaS1pbmRleC1rZXktdGhpcnR5LXR3by1ieXRlcw";
    private static final byte[] RAW = Base64.getUrlDecoder().decode(KEY);

    @Test
    void aMacIsHmacSha256OfTheTextUnderTheConfiguredKey() throws Exception {
        assertThat(PhiIndexKey.of(KEY).mac("clinic|name|zoe")).isEqualTo(hmac(RAW, "clinic|name|zoe"));
        assertThat(PhiIndexKey.of(KEY + "=").mac("x")).as("padding and either alphabet are accepted")
                .isEqualTo(hmac(RAW, "x"));
    }

    @Test
    void aDerivedKeyIsTheHmacOfThePurposeAndDiffersPerPurpose() throws Exception {
        byte[] derived = hmac(RAW, "rate-limit account keys v1");

        assertThat(PhiIndexKey.of(KEY).derive("rate-limit account keys v1").mac("account|a@b.c"))
                .isEqualTo(hmac(derived, "account|a@b.c"))
                .isNotEqualTo(PhiIndexKey.of(KEY).derive("another purpose").mac("account|a@b.c"));
    }

    @Test
    void aShortOrMalformedKeyIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> PhiIndexKey.of("c2hvcnQ")).hasMessage("PHI_INDEX_KEY must be at least 32 bytes (base64)");
        assertThatThrownBy(() -> PhiIndexKey.of("not base64 at all!")).hasMessage("PHI_INDEX_KEY is not base64");
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
