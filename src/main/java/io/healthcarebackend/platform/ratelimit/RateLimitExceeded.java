package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/** A 429: a rate limit refused the request. Answered with {@code Retry-After} and the {@code RateLimit-*} headers. */
public final class RateLimitExceeded extends ApiException {

    private final transient Decision decision;

    RateLimitExceeded(Decision decision) {
        super(HttpStatus.TOO_MANY_REQUESTS, RateLimitHeaders.LIMITED, "Too many attempts; retry after "
                + decision.retryAfterSeconds() + " seconds");
        this.decision = decision;
    }

    Decision decision() {
        return decision;
    }
}
