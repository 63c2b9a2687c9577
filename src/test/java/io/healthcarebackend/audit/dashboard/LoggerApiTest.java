package io.healthcarebackend.audit.dashboard;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The /logger APIs over plain HTTP: who may see what, what an event carries, and what it never carries. */
class LoggerApiTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    LiveFeed feed;

    @Autowired
    MeterRegistry meters;

    @Test
    void thePageIsPublicAndLockedDownByAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = raw("/logger");
        HttpResponse<String> script = raw("/logger/logger.js");
        HttpResponse<String> shared = raw("/shared/session.js");
        HttpResponse<String> style = raw("/logger/logger.css");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).isEqualTo(
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
                        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        // No inline script or style the policy would block: everything comes from the files.
        assertThat(page.body()).contains("<script src=\"/shared/session.js\"", "<script src=\"/logger/logger.js\"")
                .doesNotContainPattern("<script>")
                .doesNotContain("style=").doesNotContain("<style").doesNotContain("http://").doesNotContain("https://");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).doesNotContain("innerHTML").doesNotContain("EventSource(");
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(shared.body()).doesNotContain("innerHTML");
        assertThat(style.statusCode()).isEqualTo(200);
        assertProblem(api.get("/logger/api/me", null), 401, "UNAUTHORIZED");
        assertProblem(api.get("/logger/api/routes", null), 401, "UNAUTHORIZED");
        assertProblem(api.get("/logger/api/stream", null), 401, "UNAUTHORIZED");
        assertThat(raw("/logger/index.html").statusCode()).as("the page is served only with its policy")
                .isIn(401, 404);
    }

    @Test
    void onlyClinicAdministratorsComplianceOfficersAndPlatformAdministratorsMayUseIt() {
        Clinic clinic = newClinic();
        String compliance = clinic.user("COMPLIANCE_OFFICER").token();
        String receptionist = clinic.user("RECEPTIONIST").token();
        String practitioner = clinic.user("PRACTITIONER").token();

        for (String path : List.of("/logger/api/me", "/logger/api/routes", "/logger/api/stream")) {
            assertProblem(api.get(path, receptionist), 403, "FORBIDDEN");
            assertProblem(api.get(path, practitioner), 403, "FORBIDDEN");
        }
        Api.Response admin = api.get("/logger/api/me", clinic.adminToken);
        Api.Response officer = api.get("/logger/api/me", compliance);
        Api.Response platform = api.get("/logger/api/me", platformToken());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.text("scope")).isEqualTo("clinic");
        assertThat(admin.text("clinicId")).isEqualTo(clinic.id);
        assertThat(admin.text("transport")).isEqualTo("redis-stream");
        assertThat(officer.status()).isEqualTo(200);
        assertThat(officer.text("clinicId")).isEqualTo(clinic.id);
        assertThat(platform.status()).isEqualTo(200);
        assertThat(platform.text("scope")).isEqualTo("platform");
        assertThat(platform.text("clinicId")).isNull();
        assertThat(api.get("/logger/api/routes", compliance).status()).isEqualTo(200);
    }

    @Test
    void anApiCallAppearsOnItsClinicsTailWithinTwoSecondsAndOnNoOtherTail() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String compliance = clinic.user("COMPLIANCE_OFFICER").token();
        try (LoggerTail mine = LoggerTail.open(port, compliance);
                LoggerTail theirs = LoggerTail.open(port, other.adminToken);
                LoggerTail platform = LoggerTail.open(port, platformToken())) {
            assertThat(mine.status).isEqualTo(200);
            assertThat(mine.contentType).startsWith("text/event-stream");

            Api.Response created = api.post("/api/v1/patients", clinic.adminToken,
                    Map.of("givenName", "Tail", "familyName", "Test", "birthDate", "1980-01-01"));
            Instant sent = Instant.now();
            String trace = created.header("X-Trace-Id");

            LoggerTail.Event frame = mine.await(LoggerTail.trace(trace), TWO_SECONDS);
            assertThat(frame).as("the request on the clinic's tail within 2 s").isNotNull();
            assertThat(Duration.between(sent, Instant.now())).isLessThan(TWO_SECONDS);
            assertThat(frame.name()).isEqualTo("request");
            assertThat(frame.id()).isNotBlank();
            assertThat(frame.text("method")).isEqualTo("POST");
            assertThat(frame.text("route")).isEqualTo("/api/v1/patients");
            assertThat(frame.json().path("status").asInt()).isEqualTo(201);
            assertThat(frame.json().path("durationMs").isIntegralNumber()).isTrue();
            assertThat(frame.text("clinicId")).isEqualTo(clinic.id);
            assertThat(frame.text("userId")).isEqualTo(clinic.adminId);
            assertThat(frame.text("instance")).isEqualTo(feed.instance());
            assertThat(frame.json().path("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(frame.raw()).doesNotContain(created.text("id")).doesNotContain("Tail");

            String platformTrace = api.post("/api/v1/clinics", platformToken(),
                    Map.of("name", "Clinic " + UUID.randomUUID(), "timeZone", "UTC")).header("X-Trace-Id");
            assertThat(platform.await(LoggerTail.trace(platformTrace), TWO_SECONDS)).as("platform event").isNotNull();
            assertThat(platform.events).as("platform admins see no clinic's events")
                    .allSatisfy(f -> assertThat(f.text("clinicId")).isNull());
            assertThat(theirs.events).noneMatch(LoggerTail.trace(trace));
            assertThat(theirs.events).allSatisfy(f -> assertThat(f.text("clinicId")).isEqualTo(other.id));
            assertThat(mine.events).noneMatch(LoggerTail.trace(platformTrace));
            assertThat(mine.events).allSatisfy(f -> assertThat(f.text("clinicId")).isEqualTo(clinic.id));
        }
    }

    @Test
    void refusedRequestsShowTheirRouteTemplateAndUnknownPathsShowNoPath() {
        Clinic clinic = newClinic();
        String receptionist = clinic.user("RECEPTIONIST").token();
        try (LoggerTail platform = LoggerTail.open(port, platformToken());
                LoggerTail mine = LoggerTail.open(port, clinic.adminToken)) {
            String unauthenticated = api.get("/api/v1/patients/" + UUID.randomUUID(), null).header("X-Trace-Id");
            String unknown = api.get("/api/v1/no-such-thing/Canarysecretname?name=Canarysecretname",
                    clinic.adminToken).header("X-Trace-Id");
            String forbidden = api.get("/logger/api/routes", receptionist).header("X-Trace-Id");
            String denied = api.get("/api/v1/users", receptionist).header("X-Trace-Id");

            LoggerTail.Event noToken = platform.await(LoggerTail.trace(unauthenticated), TWO_SECONDS);
            assertThat(noToken).as("an anonymous request is a platform event").isNotNull();
            assertThat(noToken.json().path("status").asInt()).isEqualTo(401);
            assertThat(noToken.text("route")).isEqualTo("/api/v1/patients/{id}");
            assertThat(noToken.text("userId")).isNull();
            LoggerTail.Event notFound = mine.await(LoggerTail.trace(unknown), TWO_SECONDS);
            assertThat(notFound).isNotNull();
            assertThat(notFound.json().path("status").asInt()).isEqualTo(404);
            assertThat(notFound.text("route")).isEqualTo("UNMATCHED");
            assertThat(notFound.raw()).doesNotContain("Canarysecretname").doesNotContain("no-such-thing");
            LoggerTail.Event refused = mine.await(LoggerTail.trace(denied), TWO_SECONDS);
            assertThat(refused).isNotNull();
            assertThat(refused.json().path("status").asInt()).isEqualTo(403);
            assertThat(refused.text("route")).isEqualTo("/api/v1/users");
            assertThat(refused.text("clinicId")).isEqualTo(clinic.id);
            assertThat(mine.await(LoggerTail.trace(forbidden), Duration.ofMillis(500)))
                    .as("the dashboard's own requests are not on the tail").isNull();
        }
    }

    @Test
    void warnAndErrorLinesReachTheirClinicsTailMaskedAndWithoutStackTraces() {
        Clinic clinic = newClinic();
        try (LoggerTail mine = LoggerTail.open(port, clinic.adminToken);
                LoggerTail platform = LoggerTail.open(port, platformToken())) {
            String trace = UUID.randomUUID().toString().replace("-", "");
            MDC.put("trace.id", trace);
            MDC.put("clinic.id", clinic.id);
            try {
                var log = LoggerFactory.getLogger("io.healthcarebackend.scheduling.SomeService");
                log.info("an info line stays off the tail");
                log.warn("careless warning about canary.person@canary-mail.test");
                log.error("failure with a cause", new IllegalStateException("phone +49 151 99887766 failed"));
            } finally {
                MDC.remove("trace.id");
                MDC.remove("clinic.id");
            }

            LoggerTail.Event warn = mine.await(LoggerTail.trace(trace).and(f -> "WARN".equals(f.text("level"))),
                    TWO_SECONDS);
            LoggerTail.Event error = mine.await(LoggerTail.trace(trace).and(f -> "ERROR".equals(f.text("level"))),
                    TWO_SECONDS);
            assertThat(warn).isNotNull();
            assertThat(warn.name()).isEqualTo("log");
            assertThat(warn.text("logger")).isEqualTo("io.healthcarebackend.scheduling.SomeService");
            assertThat(warn.text("message")).isEqualTo("careless warning about [EMAIL]");
            assertThat(error).isNotNull();
            assertThat(error.text("message")).isEqualTo(
                    "failure with a cause [java.lang.IllegalStateException: phone [PHONE] failed]");
            assertThat(error.raw()).doesNotContain("99887766").doesNotContain("\tat ").doesNotContain("at io.");
            assertThat(mine.events).noneMatch(f -> "an info line stays off the tail".equals(f.text("message")));
            assertThat(platform.await(LoggerTail.trace(trace), Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void aViewerThatReconnectsWithLastEventIdGetsWhatItMissed() {
        Clinic clinic = newClinic();
        String first;
        try (LoggerTail tail = LoggerTail.open(port, clinic.adminToken)) {
            String trace = api.get("/api/v1/patients", clinic.adminToken).header("X-Trace-Id");
            first = tail.await(LoggerTail.trace(trace), TWO_SECONDS).id();
        }
        String missed = api.get("/api/v1/practitioners", clinic.adminToken).header("X-Trace-Id");
        try (LoggerTail resumed = LoggerTail.open(port, clinic.adminToken, Map.of("Last-Event-ID", first))) {
            LoggerTail.Event frame = resumed.await(LoggerTail.trace(missed), TWO_SECONDS);
            assertThat(frame).as("the missed event is replayed").isNotNull();
            assertThat(resumed.events.getFirst().id()).as("replay starts after the last seen event")
                    .isNotEqualTo(first);
            assertThat(resumed.events).noneMatch(f -> first.equals(f.id()));
        }
    }

    @Test
    void routeLatencyComesFromTheServicesOwnRequestHistograms() {
        Clinic clinic = newClinic();
        for (int i = 0; i < 20; i++) {
            assertThat(api.get("/api/v1/patients?limit=5", clinic.adminToken).status()).isEqualTo(200);
        }
        Api.Response routes = api.get("/logger/api/routes", clinic.adminToken);

        assertThat(routes.status()).isEqualTo(200);
        var patients = routes.body().path("routes").valueStream()
                .filter(r -> r.path("route").asString().equals("/api/v1/patients")).findFirst().orElseThrow();
        assertThat(patients.path("count").asLong()).isGreaterThanOrEqualTo(20);
        double p50 = patients.path("p50Ms").asDouble();
        double p95 = patients.path("p95Ms").asDouble();
        double p99 = patients.path("p99Ms").asDouble();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(patients.path("errorRate").asDouble()).isBetween(0.0, 1.0);
        assertThat(routes.raw().body()).doesNotContain(clinic.id);
    }

    @Test
    void noPhiCanaryReachesTheTailOrTheRedisStream() {
        Clinic clinic = newClinic();
        List<String> canaries = List.of("Canarygivenname", "Canaryfamilyname", "canary.person@canary-mail.test",
                "+49 151 99887766", "CANARY-MRN-777");
        try (LoggerTail tail = LoggerTail.open(port, clinic.adminToken)) {
            Api.Response created = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName",
                    "Canarygivenname", "familyName", "Canaryfamilyname", "birthDate", "1961-07-04",
                    "email", "canary.person@canary-mail.test", "phone", "+49 151 99887766", "mrn", "CANARY-MRN-777"));
            assertThat(created.status()).isEqualTo(201);
            api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "Canarygivenname"));
            api.post("/api/v1/patients/search", clinic.adminToken,
                    Map.of("mrn", "CANARY-MRN-777", "birthDate", "1961-07-04"));
            api.postRaw("/api/v1/patients", clinic.adminToken, "{\"givenName\": \"Canarygivenname\", \"phone\": +49");
            api.post("/api/v1/auth/login", null, Map.of("email", "canary.person@canary-mail.test", "password", "x"));
            String last = api.get("/api/v1/patients/CANARY-MRN-777", clinic.adminToken).header("X-Trace-Id");
            assertThat(tail.await(LoggerTail.trace(last), TWO_SECONDS)).isNotNull();

            String streamed = String.join("\n", tail.lines);
            List<String> stored = redis.opsForStream().range(TestDatabase.REDIS_PREFIX + "logger:events",
                    Range.unbounded()).stream().map(r -> r.getValue().toString()).toList();
            assertThat(stored).isNotEmpty();
            for (String canary : canaries) {
                assertThat(streamed).as("live tail contains %s", canary).doesNotContain(canary);
                assertThat(stored).as("Redis stream contains %s", canary).noneMatch(v -> v.contains(canary));
            }
        }
    }

    @Test
    void publishingNeverBlocksTheCallerAndCountsWhatItDrops() throws InterruptedException {
        String nobody = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        Subscription watcher = feed.subscribe(marker, null);
        double before = dropped();
        long started = System.nanoTime();
        for (int i = 0; i < 3 * LiveFeed.OUTBOX; i++) {
            feed.publish(LiveEvent.request(Instant.now(), "flood", nobody, null, null, "GET", "/flood", 200, 1));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("publishing %d events", 3 * LiveFeed.OUTBOX).isLessThan(Duration.ofSeconds(2));
        assertThat(dropped()).as("events dropped when the outbox is full").isGreaterThan(before);
        assertThat(redis.opsForStream().size(TestDatabase.REDIS_PREFIX + "logger:events"))
                .as("the stream stays capped").isLessThan(RedisEventStream.MAX_LENGTH + 1_000);
        // Let the flood drain before the next test measures latencies.
        // (Under another clinic, so the flood cannot crowd it out of the watcher's own queue.)
        // The marker itself may be dropped while the outbox is still full, so it is sent until it arrives.
        Instant deadline = Instant.now().plusSeconds(30);
        boolean drained = false;
        while (!drained && Instant.now().isBefore(deadline)) {
            feed.publish(LiveEvent.request(Instant.now(), "flood", marker, null, "end-of-flood", "GET", "/flood", 200,
                    1));
            Delivered next = watcher.next(Duration.ofSeconds(1));
            drained = next != null && "end-of-flood".equals(next.event().traceId());
        }
        feed.unsubscribe(watcher);
        assertThat(drained).as("the flood drained").isTrue();
    }

    private double dropped() {
        var counter = meters.find("healthcare.logger.events.dropped").tag("where", "outbox").counter();
        return counter == null ? 0 : counter.count();
    }

    private HttpResponse<String> raw(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
