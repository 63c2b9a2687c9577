package io.healthcarebackend.platform.db;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.ArrayDeque;
import org.springframework.transaction.TransactionDefinition;

/**
 * One span per database transaction while tracing is on — the "service" level of a trace, between
 * the HTTP request and its SQL: named after the transactional method ({@code BookingService.book}),
 * with its read-only flag and whether it was rolled back. Only inside a sampled trace; an
 * observation rather than a bare span, so Redis commands issued during the transaction nest under it
 * too. Opened when the transaction begins and closed when it is cleaned up, on the same thread;
 * nested ({@code REQUIRES_NEW}) transactions stack.
 */
final class TransactionSpans {

    static final String NAME = "healthcare.transaction";
    private static final ThreadLocal<ArrayDeque<Object>> OPEN = new ThreadLocal<>();
    /** Stands for a transaction that has no span (outside a trace), so begin and clean-up stay paired. */
    private static final Object NONE = new Object();

    private record Open(Observation observation, Observation.Scope scope) {
    }

    private final ObservationRegistry observations;
    private final Tracer tracer;

    TransactionSpans(ObservationRegistry observations, Tracer tracer) {
        this.observations = observations;
        this.tracer = tracer;
    }

    void begin(TransactionDefinition definition) {
        ArrayDeque<Object> open = OPEN.get();
        if (open == null) {
            open = new ArrayDeque<>(2);
            OPEN.set(open);
        }
        Span current = tracer.currentSpan();
        if (current == null || current.isNoop()) {
            open.push(NONE);
            return;
        }
        Observation observation = Observation.createNotStarted(NAME, observations)
                .contextualName(name(definition.getName()))
                .lowCardinalityKeyValue("tx.name", name(definition.getName()))
                .lowCardinalityKeyValue("tx.read_only", Boolean.toString(definition.isReadOnly()))
                .start();
        open.push(new Open(observation, observation.openScope()));
    }

    void rolledBack() {
        ArrayDeque<Object> open = OPEN.get();
        if (open != null && open.peek() instanceof Open tx) {
            tx.observation().highCardinalityKeyValue("tx.outcome", "rollback");
        }
    }

    void end(Throwable failure) {
        ArrayDeque<Object> open = OPEN.get();
        if (open == null || open.isEmpty()) {
            return;
        }
        Object top = open.pop();
        if (open.isEmpty()) {
            OPEN.remove();
        }
        if (top instanceof Open tx) {
            if (failure != null) {
                tx.observation().error(failure);
            }
            tx.scope().close();
            tx.observation().stop();
        }
    }

    /** {@code io.x.scheduling.internal.BookingService.book} → {@code BookingService.book}; none → transaction. */
    static String name(String definition) {
        if (definition == null || definition.isEmpty()) {
            return "transaction";
        }
        int method = definition.lastIndexOf('.');
        int type = method > 0 ? definition.lastIndexOf('.', method - 1) : -1;
        return definition.substring(type + 1);
    }
}
