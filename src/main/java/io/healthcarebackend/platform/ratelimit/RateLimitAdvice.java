package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Rate-limit refusals raised inside a handler (the login throttle) get the same headers as the filter's. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RateLimitAdvice {

    @ExceptionHandler(RateLimitExceeded.class)
    ResponseEntity<ProblemDetail> limited(RateLimitExceeded e, HttpServletRequest request) {
        return ResponseEntity.status(e.status()).headers(RateLimitHeaders.of(e.decision()))
                .body(Problems.of(e.status(), e.code(), e.getMessage(), request));
    }

    @ExceptionHandler(RateLimitUnavailable.class)
    ResponseEntity<ProblemDetail> unavailable(RateLimitUnavailable e, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(e.status(), e.code(), e.getMessage(), request));
    }
}
