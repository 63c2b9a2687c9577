package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.db.CommitOutcomeUnknown;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.platform.db.RequestDeadline;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The one place that decides whether a failure is an outage of a dependency (PostgreSQL, Redis)
 * rather than a fault of the request or a bug, and how it is answered: always 503 problem+json with
 * a {@code code} and {@code Retry-After}, never a 500, never the exception's text. The cause chain is
 * searched however deep the outage is wrapped. Used by the MVC handler ({@link ProblemHandler}),
 * the error page for failures in filters ({@link ProblemErrorController}, {@link ProblemErrorReportValve})
 * and by code that degrades instead of failing (the session liveness check fails open on an outage).
 *
 * <ul>
 * <li>{@code OUTCOME_UNKNOWN}: the connection broke during COMMIT ({@link CommitOutcomeUnknown}); the
 * change may or may not be saved.</li>
 * <li>{@code REQUEST_TIMEOUT}: a statement ran past the request's budget (SQLSTATE 57014); rolled back.</li>
 * <li>{@code TRANSIENT_CONFLICT}: serialization failure (40001), deadlock (40P01) or lock timeout (55P03)
 * that no domain rule mapped: the transaction was rolled back and the same request may simply be
 * retried. A 503, not a 409: nothing about the resource's state is wrong; the race is ours.</li>
 * <li>{@code SERVICE_UNAVAILABLE}: the database or Redis cannot be reached, dropped the connection, is
 * shutting down, has no room (class 08, 53, 58, 57P01–57P03), the pool had no connection in time
 * (SQLTransientConnectionException), a transaction could not start, commit or roll back on its
 * connection, a Redis command timed out or was rejected while disconnected.</li>
 * </ul>
 */
public final class Outages {

    private static final Logger log = LoggerFactory.getLogger(Outages.class);
    /** Redis errors that are the server's state, not the command's fault. */
    private static final Set<String> REDIS_UNAVAILABLE = Set.of("LOADING", "BUSY", "MASTERDOWN", "READONLY",
            "TRYAGAIN", "CLUSTERDOWN", "OOM");

    /** How an outage is answered. */
    public record Outage(String code, String detail) {
    }

    public static final Outage OUTCOME_UNKNOWN = new Outage("OUTCOME_UNKNOWN", "The connection to the database was "
            + "lost while the change was being saved: it may or may not have been saved. Read the resource again, "
            + "or retry with the same Idempotency-Key");
    public static final Outage SERVICE_UNAVAILABLE = new Outage("SERVICE_UNAVAILABLE",
            "A service this request needs is unavailable; nothing was changed. Try again shortly");
    public static final Outage TRANSIENT_CONFLICT = new Outage("TRANSIENT_CONFLICT",
            "The request collided with a concurrent one and was not applied; retry it");
    public static final Outage REQUEST_TIMEOUT = new Outage(RequestDeadline.CODE,
            RequestDeadline.timedOut().getMessage());

    private Outages() {
    }

    /** The outage the failure stands for, anywhere in its cause chain; empty when it is none. */
    public static Optional<Outage> of(Throwable e) {
        if (e == null) {
            return Optional.empty();
        }
        if (PgErrors.first(e, t -> t instanceof CommitOutcomeUnknown) != null) {
            return Optional.of(OUTCOME_UNKNOWN);
        }
        PgErrors.Failure failure = PgErrors.failureOf(e);
        if (failure != null) {
            return Optional.of(switch (failure) {
                case TIMED_OUT -> REQUEST_TIMEOUT;
                case TRANSIENT_CONFLICT -> TRANSIENT_CONFLICT;
                case UNAVAILABLE -> SERVICE_UNAVAILABLE;
            });
        }
        return PgErrors.first(e, Outages::unavailable) == null ? Optional.empty() : Optional.of(SERVICE_UNAVAILABLE);
    }

    /** Whether the failure is an outage of a dependency (as opposed to a bug or a refusal). */
    public static boolean isOutage(Throwable e) {
        return of(e).isPresent();
    }

    private static boolean unavailable(Throwable t) {
        return switch (t) {
            case RedisCommandExecutionException r -> r.getMessage() != null
                    && REDIS_UNAVAILABLE.contains(r.getMessage().split(" ", 2)[0]);
            // Not connected (commands rejected), connection refused or closed, command timed out.
            case RedisException r -> true;
            case RedisConnectionFailureException r -> true;
            case CannotCreateTransactionException c -> true;
            // Commit or rollback failed on the connection (a rolled-back request whose connection
            // died: TransactionTemplate reports the failed rollback, not the original error).
            case TransactionSystemException x -> true;
            case DataAccessResourceFailureException d -> true;
            case TransientDataAccessResourceException d -> true;
            case QueryTimeoutException q -> true;
            case SQLTransientConnectionException s -> true;
            case SQLNonTransientConnectionException s -> true;
            case SQLRecoverableException s -> true;
            case IOException io -> true;
            default -> false;
        };
    }

    /** The 503 answer, with Retry-After; logged once, by class names only (messages may quote data). */
    static ResponseEntity<ProblemDetail> answer(Outage outage, Throwable cause, HttpServletRequest request) {
        log.warn("Answered 503 {}: {}", outage.code(), chain(cause));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, outage.code(), outage.detail(), request));
    }

    private static String chain(Throwable e) {
        StringBuilder names = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            names.append(depth == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
        }
        return names.toString();
    }
}
