package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/** A fail-closed limit (login, MFA) could not be checked because its shared store is unreachable. */
final class RateLimitUnavailable extends ApiException {

    RateLimitUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "RATE_LIMIT_UNAVAILABLE",
                "Sign-in is temporarily unavailable; try again shortly");
    }
}
