package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds
 * until the full budget is back) headers of the IETF draft, for the tightest rule of a request,
 * and the 429 and 503 answers.
 */
final class RateLimitHeaders {

    static final String LIMITED = "RATE_LIMITED";

    private RateLimitHeaders() {
    }

    static void write(HttpServletResponse response, Decision decision) {
        response.setHeader("RateLimit-Limit", Long.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
        response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    }

    static HttpHeaders of(Decision decision) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("RateLimit-Limit", Long.toString(decision.limit()));
        headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return headers;
    }

    static void tooMany(HttpServletRequest request, HttpServletResponse response, Decision decision)
            throws IOException {
        write(response, decision);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        Problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, LIMITED, "Too many requests; retry after "
                + decision.retryAfterSeconds() + " seconds");
    }

    static void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RateLimitUnavailable e = new RateLimitUnavailable();
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        Problems.write(request, response, e.status(), e.code(), e.getMessage());
    }
}
