package io.healthcarebackend.platform.tracing;

import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import org.slf4j.MDC;

/**
 * Makes the trace id of a request's spans the one the service already gave the request
 * ({@code platform.web.TraceIdFilter}: {@code X-Trace-Id}, {@code trace.id} in every log line and
 * in every audit event). The SDK asks for a trace id only for a span without a parent; on a request
 * thread that is the HTTP server span (a caller's {@code traceparent} is never made its parent:
 * {@link ServicePropagator}), and the request's id is in the log context then. Elsewhere (a
 * scheduled task, a job without a stored trace) there is none and the id is random, as usual.
 */
final class ServiceTraceIds implements IdGenerator {

    static final String LOG_KEY = "trace.id";
    private static final IdGenerator RANDOM = IdGenerator.random();

    @Override
    public String generateSpanId() {
        return RANDOM.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String request = MDC.get(LOG_KEY);
        return request != null && TraceId.isValid(request) ? request : RANDOM.generateTraceId();
    }
}
