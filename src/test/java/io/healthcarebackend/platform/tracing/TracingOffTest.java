package io.healthcarebackend.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Without an OTLP endpoint (the default) there is no tracing at all: no OpenTelemetry SDK, no span
 * processor or exporter, Micrometer's no-op tracer — and the service works as before.
 */
class TracingOffTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void withoutAnEndpointNothingIsTracedOrExported() {
        assertThat(context.getBeanNamesForType(OpenTelemetry.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SdkTracerProvider.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SpanProcessor.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
        assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
        assertThat(context.getBean(JobSpans.class).current()).isNull();

        Clinic clinic = newClinic();
        Instant start = clinic.at(2, 11, 0);
        Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken,
                Map.of("patientId", clinic.patient(), "practitionerId", clinic.practitioner(),
                        "start", start.toString(), "end", start.plus(Duration.ofMinutes(30)).toString()));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        assertThat(booked.header("X-Trace-Id")).matches("[0-9a-f]{32}");
        assertThat(booked.header("traceparent")).isNull();
    }
}
