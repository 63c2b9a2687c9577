package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import io.healthcarebackend.support.Loopback;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Sessions and the audit trail name the client as the rate limits do: behind a trusted proxy
 * (here 127.0.0.1) the address in {@code X-Forwarded-For}; from any other peer the peer itself,
 * whatever header it sends.
 */
// The same properties, in the same order, as MetricsTokenTest: the two share one application context
// (the metrics token guards /metrics only, which this test never calls).
@TestPropertySource(properties = {"app.http.trusted-proxies=127.0.0.1",
        "app.metrics.token=prometheus-scrape-token-0123456789abcdef"})
class TrustedProxyClientTest extends ApiTest {

    @Test
    void behindATrustedProxyTheForwardedAddressIsTheClient() {
        User user = newClinic().user("RECEPTIONIST");
        Trace trace = Trace.next();
        Map<String, String> headers = new HashMap<>(trace.headers());
        headers.put("X-Forwarded-For", "203.0.113.9");

        Api.Response login = api.post("/api/v1/auth/login", null,
                Map.of("email", user.email(), "password", PASSWORD), headers);

        assertThat(login.status()).as("%s", login).isEqualTo(200);
        assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("action", "LOGIN").containsEntry("ip", "203.0.113.9"));
        assertThat(api.get("/api/v1/auth/sessions", login.text("accessToken"), Map.of("X-Forwarded-For", "203.0.113.9"))
                .items()).filteredOn(s -> s.get("current").asBoolean())
                .singleElement().satisfies(s -> assertThat(s.get("ip").asString()).isEqualTo("203.0.113.9"));
    }

    @Test
    void anUntrustedPeersForwardedHeaderIsIgnored() {
        User user = newClinic().user("RECEPTIONIST");

        Loopback.Reply login = Loopback.request("127.4.0.1", port, "POST", "/api/v1/auth/login", null,
                Map.of("email", user.email(), "password", PASSWORD), Map.of("X-Forwarded-For", "203.0.113.9"));

        assertThat(login.status()).as("%s", login).isEqualTo(200);
        Loopback.Reply sessions = Loopback.request("127.4.0.1", port, "GET", "/api/v1/auth/sessions",
                login.text("accessToken"), null, Map.of());
        assertThat(sessions.status()).as("%s", sessions).isEqualTo(200);
        assertThat(sessions.body().get("items")).anySatisfy(s -> {
            assertThat(s.get("current").asBoolean()).isTrue();
            assertThat(s.get("ip").asString()).isEqualTo("127.4.0.1");
        });
    }
}
