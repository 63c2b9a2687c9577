package io.healthcarebackend.platform.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Retry policy of every job: attempt n (n ≥ 1) that fails waits {@code baseDelay · 2^(n-1)}, capped
 * at {@code maxDelay}, spread by ±{@code jitter} so a provider outage does not end in a thundering
 * herd; after {@code maxAttempts} the job is dead-lettered ({@link DeadLetter}).
 */
@ConfigurationProperties("app.jobs")
public record JobSettings(int maxAttempts, Duration baseDelay, Duration maxDelay, double jitter,
        Duration queueMetricsInterval) {

    public JobSettings {
        maxAttempts = maxAttempts <= 0 ? 8 : maxAttempts;
        baseDelay = baseDelay == null ? Duration.ofSeconds(30) : baseDelay;
        maxDelay = maxDelay == null ? Duration.ofHours(1) : maxDelay;
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("app.jobs.jitter must be in [0, 1)");
        }
        queueMetricsInterval = queueMetricsInterval == null ? Duration.ofSeconds(15) : queueMetricsInterval;
    }
}
