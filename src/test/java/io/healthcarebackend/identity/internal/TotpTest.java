package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238 TOTP: the RFC's own test vectors, the ±1 step window, and the base32 the apps read. */
class TotpTest {

    /** The SHA-1 seed of RFC 6238 Appendix B. */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:10Z");

    @ParameterizedTest(name = "T = {0} s → {1}")
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130"
    })
    void theRfc6238AppendixBVectorsForHmacSha1(long unixSeconds, String expected) {
        long step = Totp.step(Instant.ofEpochSecond(unixSeconds));

        assertThat(Totp.code("HmacSHA1", RFC_KEY, step, 8)).isEqualTo(expected);
        // Six digits, as apps show them, are the last six of the eight.
        assertThat(Totp.code(RFC_KEY, step)).isEqualTo(expected.substring(2));
    }

    @Test
    void aCodeOfTheCurrentStepOrOneStepEitherSideMatchesThatStep() {
        long now = Totp.step(NOW);

        for (long step = now - 1; step <= now + 1; step++) {
            assertThat(Totp.match(RFC_KEY, Totp.code(RFC_KEY, step), NOW)).hasValue(step);
        }
    }

    @Test
    void aCodeTwoStepsAwayDoesNotMatch() {
        long now = Totp.step(NOW);

        assertThat(Totp.match(RFC_KEY, Totp.code(RFC_KEY, now - 2), NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, Totp.code(RFC_KEY, now + 2), NOW)).isEmpty();
    }

    @Test
    void malformedCodesDoNotMatch() {
        String good = Totp.code(RFC_KEY, Totp.step(NOW));

        assertThat(Totp.match(RFC_KEY, null, NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, "", NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, good + "0", NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, good.substring(1), NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, "12a456", NOW)).isEmpty();
        assertThat(Totp.match(RFC_KEY, "１２３４５６", NOW)).as("full-width digits").isEmpty();
    }

    @Test
    void anotherKeysCodeDoesNotMatch() {
        byte[] other = Totp.newSecret();

        assertThat(other).hasSize(20).isNotEqualTo(Totp.newSecret());
        assertThat(Totp.match(RFC_KEY, Totp.code(other, Totp.step(NOW)), NOW))
                .satisfiesAnyOf(m -> assertThat(m).isEmpty(),
                        // one in a million: the other key's code may happen to be this key's too
                        m -> assertThat(Totp.code(other, Totp.step(NOW))).isIn(
                                Totp.code(RFC_KEY, Totp.step(NOW) - 1), Totp.code(RFC_KEY, Totp.step(NOW)),
                                Totp.code(RFC_KEY, Totp.step(NOW) + 1)));
    }

    @ParameterizedTest(name = "base32({0}) = {1}")
    @CsvSource({"f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void base32IsRfc4648WithoutPadding(String text, String expected) {
        assertThat(Totp.base32(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }
}
