package io.healthcarebackend.platform;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With METRICS_TOKEN set, /metrics answers Prometheus (that bearer token) and nobody else. */
// The same properties, in the same order, as TrustedProxyClientTest: the two share one application
// context. Trusting 127.0.0.1 as a proxy changes nothing here: no request sends X-Forwarded-For.
@TestPropertySource(properties = {"app.http.trusted-proxies=127.0.0.1", "app.metrics.token=" + MetricsTokenTest.TOKEN})
class MetricsTokenTest extends ApiTest {

    static final String TOKEN = "prometheus-scrape-token-0123456789abcdef";

    @Test
    void onlyTheMetricsTokenGetsTheMetrics() {
        Clinic clinic = newClinic();

        Api.Response scrape = api.get("/metrics", null, Map.of("Accept", "text/plain", "Authorization",
                "Bearer " + TOKEN));
        assertThat(scrape.status()).as("%s", scrape).isEqualTo(200);
        assertThat(scrape.raw().body()).contains("http_server_requests_seconds");

        for (String authorization : new String[] {"Bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "x",
                "bearer", "Basic " + TOKEN, "Bearer " + clinic.adminToken, "Bearer " + platformToken(), TOKEN}) {
            Api.Response refused = api.get("/metrics", null, Map.of("Accept", "text/plain", "Authorization",
                    authorization));
            assertProblem(refused, 401, "UNAUTHORIZED");
            assertThat(refused.raw().body()).doesNotContain("http_server_requests");
        }
        Api.Response anonymous = api.get("/metrics", null, Map.of("Accept", "text/plain"));
        assertProblem(anonymous, 401, "UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(api.get("/metrics", clinic.adminToken, Map.of("Accept", "text/plain")), 401, "UNAUTHORIZED");
    }

    @Test
    void theApiStillTakesAccessTokensAndRefusesTheMetricsToken() {
        Clinic clinic = newClinic();

        assertThat(api.get("/api/v1/patients", clinic.adminToken).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/patients", TOKEN), 401, "UNAUTHORIZED");
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }
}
