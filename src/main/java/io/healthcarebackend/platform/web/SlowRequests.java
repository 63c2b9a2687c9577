package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.logging.LogBudget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Requests that took {@code SLOW_REQUEST_THRESHOLD} or longer, measured by {@link TraceIdFilter}
 * around everything the service does for them: a WARN log event ({@code event.action=slow-request},
 * method, route template, status, duration, the request's {@code trace.id}) and a sample of the timer
 * {@code healthcare.slow.requests{method,route}}. Never the path or the query string: paths carry ids,
 * and a query could carry a name (which is why patient search is a POST). Long-lived streams are
 * asynchronous and not measured here. At most 20 such lines a second, each saying how many were left
 * out before it ({@code event.suppressed}). {@code SLOW_REQUEST_THRESHOLD=0} turns it off.
 */
@Component
class SlowRequests {

    static final String UNMATCHED = "UNMATCHED";
    /** Tags stay bounded: a made-up method is OTHER. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Logger log = LoggerFactory.getLogger("io.healthcarebackend.slow-request");

    private final long thresholdNanos;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** An overloaded instance makes every request slow: at most 20 log lines a second, the timer counts all. */
    private final LogBudget logs;

    SlowRequests(@Value("${app.observability.slow-request-threshold:1s}") Duration threshold,
            @Value("${app.observability.slow-log-budget:20}") int logBudget, MeterRegistry meters) {
        this.thresholdNanos = threshold.toNanos();
        this.logs = new LogBudget(logBudget);
        this.meters = meters;
    }

    void finished(HttpServletRequest request, HttpServletResponse response, long nanos, String traceId) {
        if (thresholdNanos <= 0 || nanos < thresholdNanos || request.isAsyncStarted()) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        // "/**" is the static-resource catch-all: no route of the API matched.
        String route = pattern == null || "/**".equals(pattern) ? UNMATCHED : pattern.toString();
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
        timers.computeIfAbsent(method + " " + route, key -> Timer.builder("healthcare.slow.requests")
                .description("HTTP requests at or above SLOW_REQUEST_THRESHOLD").tag("method", method)
                .tag("route", route).register(meters)).record(nanos, TimeUnit.NANOSECONDS);
        int dropped = logs.admit();
        if (dropped < 0) {
            return;
        }
        // The server span's scope (tracing on) has closed by now and taken trace.id out of the log context.
        MDC.put("trace.id", traceId);
        log.atWarn().setMessage("Slow request: {} ms, {} {}").addArgument(nanos / 1_000_000).addArgument(method)
                .addArgument(route).addKeyValue("event.action", "slow-request").addKeyValue("event.duration", nanos)
                .addKeyValue("http.request.method", method).addKeyValue("http.route", route)
                .addKeyValue("http.response.status_code", response.getStatus())
                .addKeyValue("event.suppressed", dropped).log();
    }
}
