package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/** A stream that cannot be opened now; the answer carries {@code Retry-After}. */
final class StreamRefused extends ApiException {

    /** The user already holds {@code StreamSettings.maxPerUser} streams on this instance (a 429 of the platform's
     * {@code StreamLimitReached}). */
    static final String PER_USER = "EVENT_STREAMS_PER_USER_EXCEEDED";
    /** This instance holds {@code StreamSettings.maxConnections} streams (or is stopping). */
    static final String AT_CAPACITY = "EVENT_STREAMS_AT_CAPACITY";
    /** The clinic's event log (Redis) could not be read. */
    static final String UNAVAILABLE = "EVENT_STREAM_UNAVAILABLE";

    private final int retryAfterSeconds;

    private StreamRefused(HttpStatus status, String code, String message, int retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static StreamRefused atCapacity() {
        return new StreamRefused(HttpStatus.SERVICE_UNAVAILABLE, AT_CAPACITY,
                "This instance holds as many event streams as it may; retry shortly", 5);
    }

    static StreamRefused unavailable() {
        return new StreamRefused(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE,
                "Appointment events cannot be read right now; retry shortly", 2);
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
