package io.healthcarebackend.platform.ratelimit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the rate limiter is working without Redis, and for how long it has in total. Exported as
 * {@code healthcare_rate_limit_fallback} (1 while in fallback) and
 * {@code healthcare_rate_limit_fallback_seconds_total} (alert on its rate). Each change is logged
 * once, not once per request.
 */
final class FallbackState {

    private static final Logger log = LoggerFactory.getLogger(FallbackState.class);
    private static final long NOT_DOWN = Long.MIN_VALUE;

    private final AtomicLong downSince = new AtomicLong(NOT_DOWN);
    private final AtomicLong pastNanos = new AtomicLong();

    FallbackState(MeterRegistry meters) {
        Gauge.builder("healthcare.rate.limit.fallback", this, s -> s.inFallback() ? 1 : 0)
                .description("1 while rate limits are counted per instance because Redis is unreachable")
                .register(meters);
        FunctionCounter.builder("healthcare.rate.limit.fallback.seconds", this, FallbackState::secondsInFallback)
                .description("Total time the rate limiter has spent without Redis")
                .register(meters);
    }

    boolean inFallback() {
        return downSince.get() != NOT_DOWN;
    }

    void failed(RuntimeException cause) {
        if (downSince.compareAndSet(NOT_DOWN, System.nanoTime())) {
            // The class only: a Redis error message can quote a key.
            log.warn("Rate-limit store unreachable ({}): general traffic is limited per instance, "
                    + "login and MFA are refused until it is back", cause.getClass().getSimpleName());
        }
    }

    void recovered() {
        long since = downSince.getAndSet(NOT_DOWN);
        if (since != NOT_DOWN) {
            long nanos = System.nanoTime() - since;
            pastNanos.addAndGet(nanos);
            log.info("Rate-limit store reachable again after {} ms: shared limits apply", nanos / 1_000_000);
        }
    }

    double secondsInFallback() {
        long since = downSince.get();
        long current = since == NOT_DOWN ? 0 : System.nanoTime() - since;
        return (pastNanos.get() + current) / 1e9;
    }
}
