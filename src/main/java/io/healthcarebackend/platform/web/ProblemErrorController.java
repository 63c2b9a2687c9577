package io.healthcarebackend.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (the servlet container, the HTTP firewall rejecting a
 * malformed URL) end up on {@code /error}: render them as problem+json like every other error,
 * never as the container's default page or with exception details. An exception a filter let
 * escape (the security chain's session check, the tenancy filter, the rate limiter) arrives here
 * too: an outage among its causes is the same 503 as in a controller ({@link Outages}).
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            var outage = Outages.of(failure);
            if (outage.isPresent()) {
                return Outages.answer(outage.get(), failure, request);
            }
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // A client asking for /error itself (no error being forwarded) gets what any unknown path gets.
        HttpStatus status = code == null ? HttpStatus.NOT_FOUND
                : code instanceof Integer value && HttpStatus.resolve(value) != null
                        ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String problemCode = switch (status) {
            case BAD_REQUEST -> "BAD_REQUEST";
            case NOT_FOUND -> "NOT_FOUND";
            case CONTENT_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case FORBIDDEN -> "FORBIDDEN";
            default -> status.is4xxClientError() ? "BAD_REQUEST" : "INTERNAL_ERROR";
        };
        String detail = status.is5xxServerError() ? "Unexpected error" : status.getReasonPhrase();
        return ResponseEntity.status(status).body(Problems.of(status, problemCode, detail, request));
    }
}
