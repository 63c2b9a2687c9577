package io.healthcarebackend.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Browser-facing hardening: security headers on every response, no caching of PHI, CORS by allow-list. */
class HttpHardeningTest extends ApiTest {

    @Test
    void aPhiResponseCarriesTheSecurityHeadersAndIsNeverCached() {
        Clinic clinic = newClinic();
        Api.Response read = api.get("/api/v1/patients/" + clinic.patient(), clinic.adminToken);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Cache-Control")).contains("no-store");
        assertThat(read.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(read.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(read.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(read.header("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
        assertThat(read.header("Content-Security-Policy")).contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void errorsCarryTheHeadersToo() {
        Api.Response refused = api.get("/api/v1/patients", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Cache-Control")).contains("no-store");
        assertThat(refused.header("Content-Security-Policy")).contains("default-src 'none'");
    }

    @Test
    void theLoggerPageKeepsItsOwnContentSecurityPolicy() {
        Api.Response page = api.get("/logger", null);
        assertThat(page.raw().headers().allValues("Content-Security-Policy")).hasSize(1).first().asString()
                .contains("script-src 'self'");
    }

    @Test
    void onlyAllowListedOriginsMayCallTheApiFromABrowser() throws Exception {
        HttpResponse<String> allowed = preflight("https://frontdesk.tests.invalid");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://frontdesk.tests.invalid");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization");

        HttpResponse<String> other = preflight("https://evil.tests.invalid");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/patients"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
