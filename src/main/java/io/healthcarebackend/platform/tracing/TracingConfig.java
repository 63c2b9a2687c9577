package io.healthcarebackend.platform.tracing;

import io.lettuce.core.tracing.Tracing;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * What the service adds to Spring Boot's OpenTelemetry tracing (on only with an OTLP endpoint,
 * {@link TracingSwitch}): its own trace ids, its propagation rule, {@code trace.id}/{@code span.id}
 * in the log context, the PHI filter in front of the exporter, the endpoint and headers in
 * OpenTelemetry's own environment variables, and Redis spans.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(TracingSwitch.On.class)
class TracingConfig {

    /** Root spans take the request's trace id (X-Trace-Id, logs, audit trail). */
    @Bean
    SdkTracerProviderBuilderCustomizer serviceTraceIds() {
        return builder -> builder.setIdGenerator(new ServiceTraceIds());
    }

    /** A caller's traceparent is a link, never the parent; the service's own stored contexts are continued. */
    @Bean
    Propagator servicePropagator(ContextPropagators propagators, io.opentelemetry.api.trace.Tracer otel,
            io.micrometer.tracing.Tracer tracer) {
        return new ServicePropagator(new OtelPropagator(propagators, otel), tracer);
    }

    /**
     * ECS field names: {@code trace.id} (the same value TraceIdFilter puts there for a request) and
     * {@code span.id} while a span is current. Replaces Boot's listener, which would add {@code traceId}
     * and {@code spanId} beside them.
     */
    @Bean
    Slf4JEventListener otelSlf4JEventListener() {
        return new Slf4JEventListener(ServiceTraceIds.LOG_KEY, "span.id");
    }

    @Bean
    SpanExporters spanExporters(ObjectProvider<SpanExporter> exporters) {
        return SpanExporters.of(exporters.orderedStream().map(PhiSafeSpanExporter::new).toList());
    }

    /**
     * OTLP/HTTP as OpenTelemetry's SDKs read their environment: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
     * as it is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} plus {@code /v1/traces}.
     */
    @Bean
    OtlpTracingConnectionDetails otlpTracingConnectionDetails(Environment environment) {
        String url = tracesUrl(environment.getProperty(TracingSwitch.TRACES_ENDPOINT),
                environment.getProperty(TracingSwitch.ENDPOINT));
        return transport -> url;
    }

    static String tracesUrl(String traces, String base) {
        if (StringUtils.hasText(traces)) {
            return traces.trim();
        }
        String trimmed = base.trim();
        return (trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed) + "/v1/traces";
    }

    /** {@code OTEL_EXPORTER_OTLP_HEADERS}: {@code key=value} pairs, comma separated (a collector's credentials). */
    @Bean
    OtlpHttpSpanExporterBuilderCustomizer otlpHeaders(Environment environment) {
        Map<String, String> headers = headers(environment.getProperty("app.tracing.headers", ""));
        return builder -> headers.forEach(builder::addHeader);
    }

    static Map<String, String> headers(String spec) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : StringUtils.tokenizeToStringArray(spec, ",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                headers.put(pair.substring(0, eq).trim(),
                        URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    /** Redis command spans under the current observation; the application's Redis client uses it. */
    @Bean
    Tracing redisSpans(ObservationRegistry observations, io.micrometer.tracing.Tracer tracer) {
        return new RedisSpans(observations, tracer);
    }

    /**
     * The observations that exist only for their spans (transactions, Redis commands) would otherwise
     * add timers to /metrics while tracing is on, and only then.
     */
    @Bean
    MeterFilter tracingOnlyObservations() {
        return MeterFilter.deny(
                id -> id.getName().startsWith("healthcare.transaction") || id.getName().startsWith("lettuce"));
    }
}
