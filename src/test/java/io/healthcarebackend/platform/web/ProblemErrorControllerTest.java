package io.healthcarebackend.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * An exception a filter lets escape (before any controller: the security chain, the tenancy filter,
 * the rate limiter) reaches the container's error page: an outage among its causes is the same 503
 * problem with Retry-After as in a controller, anything else stays a generic 500.
 */
class ProblemErrorControllerTest {

    private final ProblemErrorController errors = new ProblemErrorController();

    @Test
    void anOutageRaisedInAFilterIsA503Problem() {
        for (Throwable escaped : new Throwable[] {
                new ServletException(new RedisConnectionFailureException("Unable to connect to Redis")),
                new IllegalStateException(new CannotCreateTransactionException("no connection",
                        new SQLTransientConnectionException("hb-primary - Connection is not available")))}) {
            ResponseEntity<ProblemDetail> answer = errors.error(failed(escaped));

            assertThat(answer.getStatusCode().value()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(answer.getBody().getProperties()).containsEntry("code", "SERVICE_UNAVAILABLE");
            assertThat(answer.getBody().getDetail()).doesNotContain("Redis").doesNotContain("hb-primary");
        }
    }

    @Test
    void anythingElseRaisedInAFilterStaysAGeneric500() {
        ResponseEntity<ProblemDetail> answer = errors.error(failed(new IllegalStateException("a bug, with data")));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getProperties()).containsEntry("code", "INTERNAL_ERROR");
        assertThat(answer.getBody().getDetail()).isEqualTo("Unexpected error");
    }

    private static MockHttpServletRequest failed(Throwable escaped) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, escaped);
        return request;
    }
}
