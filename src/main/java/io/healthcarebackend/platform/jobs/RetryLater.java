package io.healthcarebackend.platform.jobs;

import java.time.Duration;

/**
 * Thrown by a job whose work may succeed later (a provider's 5xx, a timeout, a 429). When the
 * provider said when to come back ({@code Retry-After}) the next attempt waits at least that long.
 * The message is an operator's reason and never holds PHI.
 */
public class RetryLater extends RuntimeException {

    private final Duration notBefore;

    public RetryLater(String reason, Duration notBefore) {
        super(reason, null, false, false);
        this.notBefore = notBefore == null ? Duration.ZERO : notBefore;
    }

    public Duration notBefore() {
        return notBefore;
    }
}
