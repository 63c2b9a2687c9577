package io.healthcarebackend.platform.tracing;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Trace context across the service's boundary, with the service's rule for trace ids: a caller
 * never chooses the trace its request is recorded under.
 *
 * <p>W3C Trace Context has a receiver continue the caller's trace (same trace id, the caller's span
 * as parent). The service does not: the caller's {@code traceparent} is untrusted input and its trace
 * id would otherwise become the id of the request's log lines and audit events. So the HTTP server
 * span is the root of a new trace whose id the service made ({@link ServiceTraceIds}), and a
 * well-formed {@code traceparent} is attached to it as a <em>span link</em> — OpenTelemetry's
 * relation for "caused by a span of another trace", which trace backends show as a jump to the
 * caller's trace. The caller still gets its trace id back in {@code X-Trace-Parent}, and log lines
 * carry it as {@code trace.parent}. B3 and other formats are not read at all.
 *
 * <p>The one trusted carrier is the service's own: a {@link Stored} context, written by
 * {@link JobSpans} into a job's data when the job was enqueued. It is continued as W3C says (the job's
 * span is a child of the span that enqueued it, in the same trace). Outgoing calls get the current
 * context injected as usual.
 */
final class ServicePropagator implements Propagator {

    private static final Pattern TRACEPARENT = Pattern.compile(
            "^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    /** A trace context the service stored itself (a job's), as its W3C {@code traceparent}. */
    record Stored(String traceparent) {
    }

    private final Propagator w3c;
    private final Tracer tracer;

    ServicePropagator(Propagator w3c, Tracer tracer) {
        this.w3c = w3c;
        this.tracer = tracer;
    }

    @Override
    public List<String> fields() {
        return w3c.fields();
    }

    @Override
    public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
        w3c.inject(context, carrier, setter);
    }

    @Override
    public <C> Span.Builder extract(C carrier, Getter<C> getter) {
        if (carrier instanceof Stored) {
            return w3c.extract(carrier, getter);
        }
        Span.Builder root = tracer.spanBuilder().setNoParent();
        TraceContext caller = parse(getter.get(carrier, "traceparent"));
        return caller == null ? root : root.addLink(new Link(caller));
    }

    /** The caller's span when the header is well-formed (ids not all zero), else null. */
    private @Nullable TraceContext parse(@Nullable String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher m = TRACEPARENT.matcher(traceparent.trim());
        if (!m.matches() || m.group(1).equals(ZERO_TRACE) || m.group(2).equals(ZERO_SPAN)) {
            return null;
        }
        boolean sampled = (Integer.parseInt(m.group(3), 16) & 1) == 1;
        return tracer.traceContextBuilder().traceId(m.group(1)).spanId(m.group(2)).sampled(sampled).build();
    }
}
