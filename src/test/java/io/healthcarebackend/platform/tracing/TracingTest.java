package io.healthcarebackend.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.tracing.OtlpReceiver.Received;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.TestDatabase;
import io.healthcarebackend.support.WorkerTest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OpenTelemetry tracing end to end, against an OTLP/HTTP receiver in this JVM: a booking is one
 * connected trace (HTTP server span → transaction → SQL, Redis) under the trace id the service gave
 * the request — the one in X-Trace-Id, the log lines and the audit trail — with the caller's
 * traceparent only linked; the reminder the booking planned continues that trace when a worker
 * sends it. No span carries a bound value or a Redis key.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends WorkerTest {

    private static final OtlpReceiver COLLECTOR = OtlpReceiver.start();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void tracing(DynamicPropertyRegistry registry) {
        // OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG, SLOW_REQUEST_THRESHOLD, SLOW_QUERY_THRESHOLD
        registry.add("app.tracing.endpoint", COLLECTOR::endpoint);
        registry.add("management.tracing.sampling.probability", () -> "1.0");
        registry.add("app.observability.slow-request-threshold", () -> "1ns");
        registry.add("app.observability.slow-query-threshold", () -> "1ns");
        // Every statement is "slow" here: all of them logged, not 20 a second.
        registry.add("app.observability.slow-log-budget", () -> "1000000");
    }

    @Autowired
    private SdkTracerProvider tracerProvider;

    @Test
    void aBookingIsOneConnectedTraceUnderTheServicesOwnTraceIdAndItsReminderContinuesIt(CapturedOutput output)
            throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(3, 10, 0);
        String canary = "canary-" + UUID.randomUUID();
        // The session check is cached for a second: past it, the booking asks Redis again.
        Thread.sleep(1_100);

        AuditLog.Trace caller = AuditLog.Trace.next();
        Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken,
                Map.of("patientId", patient, "practitionerId", practitioner, "start", start.toString(),
                        "end", start.plus(Duration.ofMinutes(30)).toString(), "reason", canary),
                caller.headers());
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        String traceId = booked.header("X-Trace-Id");
        assertThat(traceId).isEqualTo(caller.id()).isNotEqualTo(caller.parent());

        // One trace, the service's id: the HTTP server span is its root, the caller's span only a link.
        // (The confirmation the booking queued is sent at once, in the same trace: waited for too.)
        List<Received> trace = awaitSpans(traceId, spans -> connected(spans)
                && spans.stream().anyMatch(s -> s.kind().equals("SPAN_KIND_SERVER"))
                && spans.stream().anyMatch(s -> s.name().equals("job appointment-confirmation")));
        Received server = only(trace, s -> s.kind().equals("SPAN_KIND_SERVER"));
        assertThat(server.root()).isTrue();
        assertThat(server.name()).contains("/api/v1/appointments");
        assertThat(server.linkedTraceIds()).containsExactly(caller.parent());
        assertThat(COLLECTOR.spans()).noneMatch(s -> s.traceId().equals(caller.parent()));
        assertThat(trace).filteredOn(Received::root).containsExactly(server);

        List<Received> request = trace.stream()
                .filter(s -> s == server || ancestors(trace, s).contains(server.spanId())).toList();
        Received transaction = only(request, s -> "BookingService.book".equals(s.attribute("tx.name")));
        assertThat(transaction.name()).isEqualTo("BookingService.book");
        List<Received> sql = request.stream().filter(s -> "postgresql".equals(s.attribute("db.system.name"))).toList();
        assertThat(sql).filteredOn(s -> s.parentSpanId().equals(transaction.spanId()))
                .extracting(s -> s.attribute("db.operation.name")).contains("INSERT", "SELECT");
        assertThat(sql).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(s.attribute("db.query.text")).isNotBlank().doesNotContain(canary, patient);
        });
        assertThat(sql).extracting(s -> s.attribute("db.query.text"))
                .anySatisfy(text -> assertThat(text).startsWithIgnoringCase("insert into appointments"));
        List<Received> redis = request.stream().filter(s -> "redis".equals(s.attribute("db.system"))).toList();
        assertThat(redis).as(tree(trace, "")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(s.attributes()).doesNotContainKey("db.statement");
            assertThat(s.attributes().values()).noneMatch(v -> v.contains(TestDatabase.REDIS_PREFIX));
        });

        // The same id in the audit trail and in the log lines of the request (ECS: trace.id, span.id).
        assertThat(AuditLog.eventsOf(caller)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("trace_id")).isEqualTo(traceId));
        List<String> lines = output.getOut().lines().filter(l -> l.contains(traceId)).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"action\":\"slow-request\"")
                .contains("/api/v1/appointments").contains("\"id\":\"" + traceId + "\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"action\":\"slow-query\"")
                .contains("\"span\":{\"id\":\"" + transaction.spanId() + "\"}"));
        assertThat(output.getOut()).doesNotContain(canary);

        // The reminder, sent later by a worker, continues the booking's trace under the span that planned it.
        String appointment = booked.text("id");
        assertThat(dueNow(appointment, "appointment-reminder")).isEqualTo(2);
        List<Received> continued = awaitSpans(traceId, spans -> connected(spans)
                && spans.stream().filter(s -> s.name().equals("job appointment-reminder")).count() == 2);
        List<Received> jobs = continued.stream().filter(s -> s.name().equals("job appointment-reminder")).toList();
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.kind()).isEqualTo("SPAN_KIND_CONSUMER");
            assertThat(job.parentSpanId()).isEqualTo(transaction.spanId());
            assertThat(job.attribute("job.task")).isEqualTo("appointment-reminder");
        });
        Set<String> jobIds = jobs.stream().map(Received::spanId).collect(Collectors.toSet());
        assertThat(continued).filteredOn(s -> jobIds.contains(s.parentSpanId()))
                .anySatisfy(s -> assertThat(s.attribute("tx.name")).isNotNull());
        assertThat(continued).filteredOn(Received::root).containsExactly(server);

        // Nothing a span carries holds the booking's free text; no span says what an exception said.
        assertThat(COLLECTOR.spans()).allSatisfy(s -> {
            assertThat(s.attributes().values()).noneMatch(v -> v.contains(canary));
            assertThat(s.statusMessage()).isEmpty();
            assertThat(s.eventAttributes()).allSatisfy(a -> assertThat(a.keySet()).isSubsetOf("exception.type"));
        });
        assertThat(COLLECTOR.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
        assertThat(server.resource()).containsEntry("service.name", "healthcare-backend");

        String metrics = api.get("/metrics", null, Map.of("Accept", "text/plain")).raw().body();
        assertThat(metrics)
                .containsPattern("healthcare_slow_requests_seconds_count\\{.*route=\"/api/v1/appointments\".*} [1-9]")
                .containsPattern("healthcare_slow_queries_seconds_count\\{.*operation=\"INSERT\".*} [1-9]")
                .doesNotContain("healthcare_transaction").doesNotContain("lettuce_");
    }

    /** Every span's parent is in the trace (a span still running has none exported yet). */
    private static boolean connected(List<Received> trace) {
        Set<String> ids = trace.stream().map(Received::spanId).collect(Collectors.toSet());
        return trace.stream().allMatch(s -> s.root() || ids.contains(s.parentSpanId()));
    }

    /** The span ids above a span, nearest first. */
    private static List<String> ancestors(List<Received> trace, Received span) {
        List<String> above = new java.util.ArrayList<>();
        Map<String, Received> byId = trace.stream().collect(Collectors.toMap(Received::spanId, s -> s));
        for (Received s = byId.get(span.parentSpanId()); s != null; s = byId.get(s.parentSpanId())) {
            above.add(s.spanId());
        }
        return above;
    }

    /** The trace as an indented tree: name, kind and attributes of each span. */
    private static String tree(List<Received> trace, String parent) {
        StringBuilder out = new StringBuilder();
        tree(trace, parent, "", out);
        return out.toString();
    }

    private static void tree(List<Received> trace, String parent, String indent, StringBuilder out) {
        for (Received s : trace) {
            if (s.parentSpanId().equals(parent)) {
                out.append(indent).append(s.name()).append(" [").append(s.kind()).append("] ").append(s.attributes())
                        .append(s.linkedTraceIds().isEmpty() ? "" : " links " + s.linkedTraceIds()).append('\n');
                tree(trace, s.spanId(), indent + "  ", out);
            }
        }
    }

    private List<Received> awaitSpans(String traceId, Predicate<List<Received>> complete) {
        await("spans of trace " + traceId, WAIT, () -> {
            tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);
            return complete.test(spansOf(traceId));
        });
        return spansOf(traceId);
    }

    private static List<Received> spansOf(String traceId) {
        return COLLECTOR.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static Received only(Collection<Received> spans, Predicate<Received> which) {
        List<Received> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("%s", spans).hasSize(1);
        return matching.getFirst();
    }

    private static int dueNow(String appointment, String task) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update scheduled_tasks set execution_time = now() where task_name = ? and task_instance like ?")) {
            s.setString(1, task);
            s.setString(2, appointment + ".%");
            return s.executeUpdate();
        }
    }
}
