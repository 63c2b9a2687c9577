package io.healthcarebackend.platform.stream;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/** 429: the user already holds as many streams of the kind as allowed; answered with {@code Retry-After}. */
public final class StreamLimitReached extends ApiException {

    public static final int RETRY_AFTER_SECONDS = 30;

    StreamLimitReached(StreamKind kind) {
        super(HttpStatus.TOO_MANY_REQUESTS, kind.limitCode(),
                "A user may hold at most " + kind.maxPerUser() + " such streams at once; close one first");
    }

    public int retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
