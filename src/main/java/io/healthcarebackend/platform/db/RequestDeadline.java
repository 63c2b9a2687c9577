package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.ApiException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The time budget of the request the current thread serves (HTTP_REQUEST_TIMEOUT). Each
 * transaction a request opens gets PostgreSQL's {@code statement_timeout} set to what is left of it
 * (in the statement that already sets the clinic: no extra round trip for clinic-scoped work), so
 * no query, lock wait included, outlives the request; once the budget is spent no transaction
 * starts. Background work has no deadline.
 */
public final class RequestDeadline {

    public static final String CODE = "REQUEST_TIMEOUT";
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private RequestDeadline() {
    }

    /** Starts the current thread's budget; close the scope when the request ends. */
    public static Scope start(Duration budget) {
        Long outer = DEADLINE.get();
        DEADLINE.set(System.nanoTime() + budget.toNanos());
        return () -> {
            if (outer == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(outer);
            }
        };
    }

    /** A budget in force; closing it restores the one before (none, normally). */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** What is left of the current request's budget; empty outside a request. */
    static Optional<Duration> remaining() {
        Long deadline = DEADLINE.get();
        return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline - System.nanoTime()));
    }

    public static ApiException timedOut() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, CODE, "The request took too long and was stopped");
    }
}
