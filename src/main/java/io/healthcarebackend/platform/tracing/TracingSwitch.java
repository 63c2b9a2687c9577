package io.healthcarebackend.platform.tracing;

import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Tracing is on exactly when an OTLP endpoint is configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, through {@code app.tracing.*}). Off, Spring Boot's
 * OpenTelemetry and Micrometer Tracing auto-configurations are left out before they are even
 * loaded (this filter is registered in {@code META-INF/spring.factories}): no SDK, no tracer, no
 * tracing observation handler, no exporter thread. The tracer is then Micrometer's no-op one and a
 * request costs what it cost before tracing existed. Boot's OpenTelemetry log export is always left
 * out: logs go to stdout as ECS JSON.
 */
public final class TracingSwitch implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String ENDPOINT = "app.tracing.endpoint";
    static final String TRACES_ENDPOINT = "app.tracing.traces-endpoint";

    /** Started only when tracing is on. */
    private static final Set<String> TRACING = Set.of(
            "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration");
    /** Never started: no OpenTelemetry log pipeline, no Zipkin. */
    private static final Set<String> NEVER = Set.of(
            "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
            "org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration");

    private Environment environment;

    /** Whether this environment traces: an OTLP endpoint is set. */
    public static boolean enabled(Environment environment) {
        return StringUtils.hasText(environment.getProperty(ENDPOINT))
                || StringUtils.hasText(environment.getProperty(TRACES_ENDPOINT));
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
        boolean on = environment != null && enabled(environment);
        boolean[] matches = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            String candidate = candidates[i];
            matches[i] = candidate == null || !(NEVER.contains(candidate) || !on && TRACING.contains(candidate));
        }
        return matches;
    }

    /** For configuration that exists only while tracing is on. */
    static final class On implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return enabled(context.getEnvironment());
        }
    }
}
