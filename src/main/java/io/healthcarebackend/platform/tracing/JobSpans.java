package io.healthcarebackend.platform.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Carries a trace from the change that enqueues a job to the job's run: {@link #current()} is what
 * the job's data keeps (a W3C {@code traceparent}: trace and span ids and the sampling flag, no
 * PHI), and {@link #run} runs the job in a span that is a child of that span, in the same trace —
 * so a reminder sent a day later shows up under the booking that planned it, and its log lines and
 * audit events carry the booking's trace id. A job without a stored context starts a trace of its own.
 * With tracing off both are no-ops.
 */
@Component
public class JobSpans {

    private final boolean on;
    private final Tracer tracer;
    private final @Nullable Propagator propagator;

    JobSpans(Environment environment, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.on = TracingSwitch.enabled(environment);
        this.tracer = on ? tracer.getObject() : Tracer.NOOP;
        this.propagator = on ? propagator.getObject() : null;
    }

    /** The current span as a W3C traceparent, for a job enqueued now; null when there is none. */
    public @Nullable String current() {
        if (!on) {
            return null;
        }
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> headers = new HashMap<>(2);
        propagator.inject(span.context(), headers, Map::put);
        return headers.get("traceparent");
    }

    /** Runs a job of {@code task} in a span continuing {@code traceparent} (null: a new trace). */
    public void run(String task, @Nullable String traceparent, Runnable work) {
        if (!on) {
            work.run();
            return;
        }
        Span.Builder builder = traceparent == null ? tracer.spanBuilder().setNoParent()
                : propagator.extract(new ServicePropagator.Stored(traceparent),
                        (carrier, key) -> "traceparent".equals(key) ? carrier.traceparent() : null);
        Span span = builder.name("job " + task).kind(Span.Kind.CONSUMER).tag("job.task", task).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            work.run();
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
