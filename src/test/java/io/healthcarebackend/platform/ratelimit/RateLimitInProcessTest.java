package io.healthcarebackend.platform.ratelimit;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Single-node mode (no Redis): the same rules, counted in process memory. No trusted proxies are
 * configured here, so a client's X-Forwarded-For changes nothing.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "app.redis.url=",
        "app.http.trusted-proxies=",
        "app.rate-limits.route-classes.local-probe.weight=1",
        "app.rate-limits.route-classes.local-probe.routes=GET /health/liveness",
        "app.rate-limits.rules.local-probe.key=ip",
        "app.rate-limits.rules.local-probe.route-classes=local-probe",
        "app.rate-limits.rules.local-probe.algorithm=token-bucket",
        "app.rate-limits.rules.local-probe.limit=3",
        "app.rate-limits.rules.local-probe.window=1h"})
class RateLimitInProcessTest extends ApiTest {

    @Test
    void withoutRedisLimitsAreCountedInProcessAndAnUntrustedForwardedForIsIgnored() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/health/liveness", null, Map.of("X-Forwarded-For", "203.0.113." + i)).status())
                    .isEqualTo(200);
        }
        assertProblem(api.get("/health/liveness", null, Map.of("X-Forwarded-For", "203.0.113.99")), 429,
                "RATE_LIMITED");

        String token = platformToken();
        assertThat(api.get("/api/v1/rate-limits", token).text("mode")).isEqualTo("in-process");
    }
}
