package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.SupportedRange;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.security.AuditedRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import io.lettuce.core.RedisException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception into problem+json. Client mistakes become 4xx with a stable code and a
 * message that names the field, never the value (values may be PHI). An outage of the database or
 * Redis is a 503 ({@link Outages}), however deep it is wrapped. Anything else unexpected is a
 * 500 with a generic message; the stack trace goes to the log, never to the client. Every refusal
 * and failure of a signed-in user's request is reported for auditing first; if it cannot be
 * recorded the answer is that 503 instead.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final AuditedRequests audited;

    ProblemHandler(AuditedRequests audited) {
        this.audited = audited;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        if (e.status() == HttpStatus.FORBIDDEN) {
            return denied(e, request);
        }
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, "1")
                    .body(Problems.of(e.status(), e.code(), e.getMessage(), request));
        }
        return failed(e.status(), e.code(), e.getMessage(), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        return failed(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", e.getMessage(), request);
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ResponseEntity<ProblemDetail> denied(RuntimeException e, HttpServletRequest request) {
        try {
            audited.denied(request);
        } catch (ApiException unaudited) {
            return respond(unaudited.status(), unaudited.code(), unaudited.getMessage(), request);
        }
        if (e instanceof ApiException refusal) {
            return respond(HttpStatus.FORBIDDEN, refusal.code(), refusal.getMessage(), request);
        }
        return respond(HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed for this role", request);
    }

    /** A failed request is audited on its own (its transaction rolled back) before it is answered. */
    private ResponseEntity<ProblemDetail> failed(HttpStatusCode status, String code, String detail,
            HttpServletRequest request) {
        try {
            audited.failed(request, status.value(), code);
        } catch (ApiException unaudited) {
            return respond(unaudited.status(), unaudited.code(), unaudited.getMessage(), request);
        }
        return respond(status, code, detail, request);
    }

    private ResponseEntity<ProblemDetail> invalidRequest(List<Map<String, String>> errors, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> unaudited = failed(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "", request);
        if (unaudited.getStatusCode().value() != 400) {
            return unaudited;
        }
        return ResponseEntity.badRequest().body(invalid(errors, request));
    }

    /** Tomcat refuses to parse more than {@code HTTP_MAX_PARAMETERS} parameters; that is the client's doing. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> tooManyParameters(RuntimeException e, HttpServletRequest request) {
        return failed(HttpStatus.BAD_REQUEST, "TOO_MANY_PARAMETERS", "The request has too many parameters", request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", lastNode(v.getPropertyPath().toString()), "message", v.getMessage()))
                .toList();
        return invalidRequest(errors, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        if (OutOfRange.causedBy(e)) {
            return outOfRange(request);
        }
        log.warn("Unmapped integrity violation: {}", e.getClass().getSimpleName());
        return failed(HttpStatus.CONFLICT, "CONFLICT", "The change conflicts with existing data", request);
    }

    /**
     * Outages of the database or Redis, however they surface (Spring's translations, the driver's
     * or Lettuce's own exceptions, a failed commit): one 503 each, decided by {@link Outages}.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, QueryTimeoutException.class,
            TransientDataAccessException.class, TransactionSystemException.class, RedisSystemException.class,
            RedisException.class, SQLException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
        return outage(e, request).orElseGet(() -> unexpected(e, request));
    }

    /** No transaction could start: the request's time budget was spent, or no connection came in time. */
    @ExceptionHandler(CannotCreateTransactionException.class)
    ResponseEntity<ProblemDetail> noTransaction(CannotCreateTransactionException e, HttpServletRequest request) {
        if (e.getCause() instanceof ApiException refused) {
            return api(refused, request);
        }
        return unavailable(e, request);
    }

    /** A date or number the client sent overflowed further in (java.time arithmetic, an int): its doing. */
    @ExceptionHandler({java.time.DateTimeException.class, ArithmeticException.class})
    ResponseEntity<ProblemDetail> overflow(RuntimeException e, HttpServletRequest request) {
        log.warn("Value out of range: {}", e.getClass().getSimpleName());
        return outOfRange(request);
    }

    private ResponseEntity<ProblemDetail> outOfRange(HttpServletRequest request) {
        return failed(HttpStatus.BAD_REQUEST, SupportedRange.CODE, SupportedRange.DETAIL, request);
    }

    private Optional<ResponseEntity<ProblemDetail>> outage(Throwable e, HttpServletRequest request) {
        return Outages.of(e).map(outage -> {
            if (outage == Outages.REQUEST_TIMEOUT) {
                log.warn("Request stopped at its time budget: {} {}", request.getMethod(),
                        request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
            }
            return Outages.answer(outage, e, request);
        });
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        Optional<ResponseEntity<ProblemDetail>> outage = outage(e, request);
        if (outage.isPresent()) {
            return outage.get(); // wrapped somewhere deep inside something else
        }
        log.error("Unhandled error", e);
        return failed(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Unexpected error", request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
                .toList();
        return cast(invalidRequest(errors, servletRequest(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
                        "field", String.valueOf(r.getMethodParameter().getParameterName()),
                        "message", String.valueOf(err.getDefaultMessage()))))
                .toList();
        return cast(invalidRequest(errors, servletRequest(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (rootCause(e) instanceof PayloadTooLargeException tooLarge) {
            return cast(failed(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", tooLarge.getMessage(),
                    servletRequest(request)));
        }
        if (OutOfRange.causedBy(e)) {
            return cast(outOfRange(servletRequest(request)));
        }
        // The parser's own message can quote the offending input, which may be PHI: never echo it.
        return cast(failed(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST",
                "Body is not valid JSON for this endpoint (syntax, a wrong type or an unknown value)",
                servletRequest(request)));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String code = switch (e) {
            case MethodArgumentTypeMismatchException m -> "INVALID_PARAMETER";
            case ErrorResponse r when status.value() == 404 -> "NOT_FOUND";
            case ErrorResponse r when status.value() == 405 -> "METHOD_NOT_ALLOWED";
            case ErrorResponse r when status.value() == 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case ErrorResponse r when status.value() == 406 -> "NOT_ACCEPTABLE";
            default -> status.is4xxClientError() ? "BAD_REQUEST" : "INTERNAL_ERROR";
        };
        String detail = status.is4xxClientError() ? safeDetail(e, status) : "Unexpected error";
        ResponseEntity<ProblemDetail> answer = failed(status, code, detail, servletRequest(request));
        if (answer.getStatusCode().value() != status.value()) {
            return cast(answer);
        }
        return ResponseEntity.status(status).headers(headers).body(answer.getBody());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        if (OutOfRange.causedBy(e)) {
            return outOfRange(request);
        }
        return failed(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", "Parameter '" + e.getName() + "' has a wrong format",
                request);
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors, HttpServletRequest request) {
        return Problems.withErrors(
                Problems.of(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "Request is not valid", request), errors);
    }

    private static String safeDetail(Exception e, HttpStatusCode status) {
        if (e instanceof ErrorResponse response && response.getBody().getDetail() != null
                && !(e instanceof MethodArgumentTypeMismatchException)) {
            return response.getBody().getDetail();
        }
        return HttpStatus.valueOf(status.value()).getReasonPhrase();
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, String code, String detail,
            HttpServletRequest request) {
        return ResponseEntity.status(status).body(Problems.of(status, code, detail, request));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
