package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.logging.LogBudget;
import io.healthcarebackend.platform.tracing.TracingSwitch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What happens around each SQL statement the application runs ({@link TimedDataSource}):
 *
 * <ul>
 * <li><b>Slow queries</b>: a statement that took {@code SLOW_QUERY_THRESHOLD} or longer is a WARN log
 * event ({@code event.action=slow-query}, duration, operation and the statement text with placeholders —
 * never a bound value, literals replaced: {@link SqlText}) and a sample of the timer
 * {@code healthcare.slow.queries{operation}} (count, total and max on /metrics). The log line carries
 * the request's or job's {@code trace.id}; at most 20 such lines a second, each saying how many
 * were left out before it ({@code event.suppressed}).</li>
 * <li><b>Spans</b> (tracing on): a CLIENT span per statement inside a sampled trace, with
 * {@code db.query.text} (same sanitized text), {@code db.operation.name} and, when it fails, the
 * SQLSTATE. Statements outside any trace (pollers, start-up) get none.</li>
 * </ul>
 */
@Component
class QueryObserver {

    private static final Logger log = LoggerFactory.getLogger("io.healthcarebackend.slow-query");

    private final long thresholdNanos;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final boolean tracing;
    private final Map<String, Timer> slow = new ConcurrentHashMap<>();
    /** A saturated database makes every statement slow: at most 20 log lines a second, the timer counts all. */
    private final LogBudget logs;

    QueryObserver(@Value("${app.observability.slow-query-threshold:250ms}") Duration threshold,
            @Value("${app.observability.slow-log-budget:20}") int logBudget, MeterRegistry meters,
            ObjectProvider<Tracer> tracer, Environment environment) {
        this.thresholdNanos = threshold.toNanos();
        this.logs = new LogBudget(logBudget);
        this.meters = meters;
        this.tracing = TracingSwitch.enabled(environment);
        this.tracer = tracing ? tracer.getObject() : Tracer.NOOP;
    }

    /** Whether statements need watching at all (else the data source is not wrapped). */
    static boolean wanted(Environment environment) {
        Duration threshold = environment.getProperty("app.observability.slow-query-threshold", Duration.class,
                Duration.ofMillis(250));
        return !threshold.isZero() && !threshold.isNegative() || TracingSwitch.enabled(environment);
    }

    /** A started span for the statement when it runs inside a sampled trace, else null. */
    Span started(String sql) {
        if (!tracing) {
            return null;
        }
        Span parent = tracer.currentSpan();
        if (parent == null || parent.isNoop()) {
            return null;
        }
        String operation = SqlText.operation(sql);
        return tracer.spanBuilder().name(operation).kind(Span.Kind.CLIENT).tag("db.system.name", "postgresql")
                .tag("db.operation.name", operation).tag("db.query.text", SqlText.sanitized(sql)).start();
    }

    void finished(String sql, long nanos, Span span, Throwable failure) {
        if (span != null) {
            if (failure != null) {
                String state = PgErrors.sqlState(failure);
                span.tag("error.type", state != null ? state : failure.getClass().getSimpleName());
                if (state != null) {
                    span.tag("db.response.status_code", state);
                }
                span.error(new QueryFailed(state));
            }
            span.end();
        }
        if (thresholdNanos > 0 && nanos >= thresholdNanos) {
            slow(sql, nanos);
        }
    }

    private void slow(String sql, long nanos) {
        String operation = SqlText.operation(sql);
        slow.computeIfAbsent(operation, op -> Timer.builder("healthcare.slow.queries")
                .description("SQL statements at or above SLOW_QUERY_THRESHOLD").tag("operation", op)
                .register(meters)).record(nanos, TimeUnit.NANOSECONDS);
        int dropped = logs.admit();
        if (dropped < 0) {
            return;
        }
        log.atWarn().setMessage("Slow query: {} ms, {}").addArgument(nanos / 1_000_000).addArgument(operation)
                .addKeyValue("event.action", "slow-query").addKeyValue("event.duration", nanos)
                .addKeyValue("db.operation.name", operation).addKeyValue("db.query.text", SqlText.sanitized(sql))
                .addKeyValue("event.suppressed", dropped).log();
    }

    /** A failed statement as a span shows it: its SQLSTATE, never the driver's message (it may quote values). */
    static final class QueryFailed extends RuntimeException {
        QueryFailed(String sqlState) {
            super(sqlState == null ? "statement failed" : "SQLSTATE " + sqlState, null, false, false);
        }
    }
}
