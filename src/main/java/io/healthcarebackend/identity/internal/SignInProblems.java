package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The sign-in answers that carry more than a code: the enrollment token of
 * {@code MFA_ENROLLMENT_REQUIRED}, the {@code Retry-After} of {@code MFA_LOCKED} and the accounts
 * of {@code CLINIC_REQUIRED}. All are {@link ApiException}s, so the platform's handler would still
 * answer them (without the extra) if this advice were ever bypassed. None belongs to a signed-in
 * request's failure audit: the sign-in code audits them itself.
 */
@RestControllerAdvice(basePackageClasses = SignInProblems.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SignInProblems {

    /** A correct password for a user who must enrol first; {@code token} opens only enrollment. */
    static final class EnrollmentRequired extends ApiException {
        private final transient String token;
        private final long expiresIn;

        EnrollmentRequired(String token, Duration ttl) {
            super(HttpStatus.UNAUTHORIZED, "MFA_ENROLLMENT_REQUIRED",
                    "This clinic requires a second factor: enrol one with the enrollment token, then sign in with a code");
            this.token = token;
            this.expiresIn = ttl.toSeconds();
        }
    }

    /** Too many wrong codes in a row: no code is checked until the lock has passed. */
    static final class Locked extends ApiException {
        private final long retryAfterSeconds;

        Locked(Duration retryAfter) {
            super(HttpStatus.TOO_MANY_REQUESTS, "MFA_LOCKED",
                    "Too many wrong codes; the second factor is locked for a while");
            this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toMillisPart() > 0 ? 1 : 0));
        }
    }

    /**
     * The password opens accounts in more than one clinic (one person, one password, several
     * clinics): the caller says which with {@code clinicId}. Only someone who knows the password of
     * every account listed gets this answer, so it tells nothing they do not know.
     */
    static final class ClinicRequired extends ApiException {
        private final transient List<Map<String, Object>> accounts;

        ClinicRequired(List<Map<String, Object>> accounts) {
            super(HttpStatus.CONFLICT, "CLINIC_REQUIRED",
                    "This e-mail and password open accounts in more than one clinic: send clinicId (or \"platform\")");
            this.accounts = accounts;
        }
    }

    @ExceptionHandler(ClinicRequired.class)
    ResponseEntity<ProblemDetail> clinicRequired(ClinicRequired e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.status(), e.code(), e.getMessage(), request);
        problem.setProperty("accounts", e.accounts);
        return ResponseEntity.status(e.status()).cacheControl(CacheControl.noStore()).body(problem);
    }

    @ExceptionHandler(EnrollmentRequired.class)
    ResponseEntity<ProblemDetail> enrollmentRequired(EnrollmentRequired e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.status(), e.code(), e.getMessage(), request);
        problem.setProperty("enrollmentToken", e.token);
        problem.setProperty("expiresIn", e.expiresIn);
        return ResponseEntity.status(e.status()).cacheControl(CacheControl.noStore()).body(problem);
    }

    @ExceptionHandler(Locked.class)
    ResponseEntity<ProblemDetail> locked(Locked e, HttpServletRequest request) {
        return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds))
                .body(Problems.of(e.status(), e.code(), e.getMessage(), request));
    }
}
