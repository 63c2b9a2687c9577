package io.healthcarebackend.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void delaySecondsAreTakenAsTheyAre() {
        assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(" 90 ", NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aDateIsTheTimeLeftUntilItAndAPastDateIsNoWait() {
        assertThat(RetryAfter.parse("Mon, 02 Mar 2026 09:30:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(90));
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 09:30:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anAbsentOrUnreadableValueIsNoAdvice() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
        assertThat(RetryAfter.parse("", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
        assertThat(RetryAfter.parse("1.5", NOW)).isNull();
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).isNull();
    }
}
