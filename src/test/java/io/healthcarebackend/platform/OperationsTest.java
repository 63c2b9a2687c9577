package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What operators and their tools see: health probes, Prometheus metrics, security headers. */
class OperationsTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void healthReportsDatabaseRedisAndUptime() {
        Api.Response health = api.get("/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("ok");
        assertThat(health.text("database")).isEqualTo("connected");
        assertThat(health.text("redis")).isEqualTo("connected");
        assertThat(health.body().path("uptime").isIntegralNumber()).isTrue();
        assertThat(health.body().path("uptime").asLong()).isNotNegative();
    }

    @Test
    void theProbesAnswerWithoutAToken() {
        Api.Response liveness = api.get("/health/liveness", null);
        Api.Response readiness = api.get("/health/readiness", null);

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("ok");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("ok");
        // Readiness is this instance's own state only: shared dependencies are /health's business.
        assertThat(readiness.body().has("database")).isFalse();
    }

    @Test
    void metricsArePrometheusTextWithTheServicesMeters() {
        assertThat(api.get("/health", null).status()).isEqualTo(200);

        List<String> wanted = List.of("http_server_requests_seconds", "hikaricp_connections", "jvm_memory_used_bytes",
                "healthcare_appointments_active", "healthcare_audit_events_total");
        HttpResponse<String> metrics = scrape();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(3));
        while (!containsAll(metrics, wanted) && Instant.now().isBefore(deadline)) {
            pause();
            metrics = scrape();
        }

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).satisfiesAnyOf(
                type -> assertThat(type).startsWith("text/plain"),
                type -> assertThat(type).startsWith("application/openmetrics-text"));
        String text = metrics.body();
        assertThat(text).contains("# TYPE ");
        for (String name : wanted) {
            assertThat(text).as(name).contains(name);
        }
        assertThat(text).containsPattern("(?m)^healthcare_appointments_active(\\{[^}]*\\})? [0-9.eE+-]+$");
        assertThat(text).contains("uri=\"/health\"");
        assertThat(text).containsPattern("(?m)^healthcare_audit_events_total\\{[^}]*result=\"stored\"[^}]*\\} [0-9.eE+-]+$");
    }

    @Test
    void apiResponsesCarrySecurityHeaders() {
        Clinic clinic = newClinic();
        String id = clinic.patient();

        Api.Response read = api.get("/api/v1/patients/" + id, clinic.adminToken);
        Api.Response problem = api.get("/api/v1/patients", null);

        assertThat(read.status()).isEqualTo(200);
        for (Api.Response response : List.of(read, problem)) {
            assertThat(response.header("X-Content-Type-Options")).as("%s", response).isEqualTo("nosniff");
            assertThat(response.header("Cache-Control")).as("%s", response).contains("no-store");
            assertThat(response.header("X-Frame-Options")).as("%s", response).isEqualTo("DENY");
        }
    }

    @Test
    void patientSearchResultsAreNotCached() {
        Clinic clinic = newClinic();
        clinic.patient("Ada", "Lovelace", "1990-12-10");

        Api.Response search = api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "lovelace"));

        assertThat(search.status()).isEqualTo(200);
        assertThat(search.header("Cache-Control")).contains("no-store");
        assertThat(search.header("Pragma")).isEqualTo("no-cache");
    }

    private static boolean containsAll(HttpResponse<String> metrics, List<String> names) {
        return metrics.statusCode() == 200 && names.stream().allMatch(metrics.body()::contains);
    }

    /** A scrape as Prometheus sends it: no token, Prometheus' own Accept header. */
    private HttpResponse<String> scrape() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "text/plain;version=0.0.4;q=0.9,*/*;q=0.1").timeout(Duration.ofSeconds(30))
                .GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
