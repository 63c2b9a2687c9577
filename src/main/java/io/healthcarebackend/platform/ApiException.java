package io.healthcarebackend.platform;

import org.springframework.http.HttpStatus;

/**
 * A failure the client caused or must know about, with a stable machine-readable {@code code}.
 * Messages are written for clients and must never carry PHI: they name fields and rules, never values.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Missing, or belonging to another clinic: the two are deliberately indistinguishable. */
    public static final class NotFound extends ApiException {
        public NotFound(String resource) {
            super(HttpStatus.NOT_FOUND, "NOT_FOUND", resource + " not found");
        }
    }

    public static final class Conflict extends ApiException {
        public Conflict(String code, String message) {
            super(HttpStatus.CONFLICT, code, message);
        }
    }

    public static final class Unprocessable extends ApiException {
        public Unprocessable(String code, String message) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, code, message);
        }
    }

    public static final class BadRequest extends ApiException {
        public BadRequest(String code, String message) {
            super(HttpStatus.BAD_REQUEST, code, message);
        }
    }

    public static final class Forbidden extends ApiException {
        public Forbidden() {
            super(HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed for this role");
        }
    }

    public static final class Unauthorized extends ApiException {
        public Unauthorized(String code, String message) {
            super(HttpStatus.UNAUTHORIZED, code, message);
        }
    }
}
