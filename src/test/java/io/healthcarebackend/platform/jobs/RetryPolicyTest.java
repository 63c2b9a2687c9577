package io.healthcarebackend.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void delaysDoubleUpToTheCapWithoutJitter() {
        RetryPolicy<Object> policy = new RetryPolicy<>(
                new JobSettings(8, Duration.ofSeconds(30), Duration.ofMinutes(5), 0, null), new SimpleMeterRegistry());
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayAfter(60)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterSpreadsRetriesWithinItsBounds() {
        RetryPolicy<Object> policy = new RetryPolicy<>(
                new JobSettings(8, Duration.ofSeconds(10), Duration.ofHours(1), 0.2, null), new SimpleMeterRegistry());
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = policy.delayAfter(3);
            assertThat(d).isBetween(Duration.ofSeconds(32), Duration.ofSeconds(48));
            seen.add(d);
        }
        assertThat(seen).as("not all the same").hasSizeGreaterThan(10);
    }

    @Test
    void jitterMustBeAFraction() {
        assertThatThrownBy(() -> new JobSettings(8, null, null, 1.5, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
