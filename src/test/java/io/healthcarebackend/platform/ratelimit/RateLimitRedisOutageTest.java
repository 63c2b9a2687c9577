package io.healthcarebackend.platform.ratelimit;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rate limits on a Redis of their own (a redis-server this test starts and stops on a spare port;
 * the rest of the service keeps the run's Redis). While it is unreachable, general traffic gets a
 * per-instance limit (10 per hour shared by 2 expected instances: 5 here), sign-in answers 503,
 * and the fallback metric says so; once Redis answers again, shared limits return without a restart.
 */
@DirtiesContext
class RateLimitRedisOutageTest extends ApiTest {

    private static final int PORT = Ports.free();
    private Process redis;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("app.rate-limits.redis-url", () -> "redis://127.0.0.1:" + PORT);
        registry.add("app.rate-limits.redis-timeout", () -> "500ms");
        registry.add("app.rate-limits.expected-instances", () -> "2");
        registry.add("app.rate-limits.route-classes.outage-probe.weight", () -> "1");
        registry.add("app.rate-limits.route-classes.outage-probe.routes", () -> "GET /health/liveness");
        registry.add("app.rate-limits.rules.outage-probe.key", () -> "ip");
        registry.add("app.rate-limits.rules.outage-probe.route-classes", () -> "outage-probe");
        registry.add("app.rate-limits.rules.outage-probe.algorithm", () -> "fixed-window");
        registry.add("app.rate-limits.rules.outage-probe.limit", () -> "10");
        registry.add("app.rate-limits.rules.outage-probe.window", () -> "1h");
    }

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutRedisGeneralTrafficIsLimitedPerInstanceSignInFailsClosedAndRecoveryNeedsNoRestart()
            throws Exception {
        // Nothing listens on the port yet: the service started in fallback.
        assertThat(fallbackGauge()).isEqualTo("1.0");
        assertProblem(signIn(PLATFORM_PASSWORD), 503, "RATE_LIMIT_UNAVAILABLE");
        assertThat(signIn(PLATFORM_PASSWORD).header("Retry-After")).isEqualTo("1");
        for (int i = 0; i < 5; i++) {
            Api.Response allowed = api.get("/health/liveness", null);
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("RateLimit-Limit")).isEqualTo("5");
        }
        assertProblem(api.get("/health/liveness", null), 429, "RATE_LIMITED");

        startRedis();
        assertThat(await(() -> signIn(PLATFORM_PASSWORD).status() == 200)).as("sign-in after Redis came up").isTrue();
        assertThat(fallbackGauge()).isEqualTo("0.0");
        assertThat(Double.parseDouble(metric("healthcare_rate_limit_fallback_seconds_total"))).isPositive();
        // The shared budget is counted in Redis now: the full 10.
        Api.Response shared = api.get("/health/liveness", null);
        assertThat(shared.status()).isEqualTo(200);
        assertThat(shared.header("RateLimit-Limit")).isEqualTo("10");

        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        assertThat(await(() -> signIn(PLATFORM_PASSWORD).status() == 503)).as("sign-in fails closed").isTrue();
        assertThat(fallbackGauge()).isEqualTo("1.0");
        assertThat(api.get("/health/liveness", null).header("RateLimit-Limit")).isEqualTo("5");

        startRedis();
        assertThat(await(() -> signIn(PLATFORM_PASSWORD).status() == 200)).as("sign-in after Redis came back")
                .isTrue();
        assertThat(fallbackGauge()).isEqualTo("0.0");
    }

    private Api.Response signIn(String password) {
        return api.post("/api/v1/auth/login", null, Map.of("email", PLATFORM_EMAIL, "password", password));
    }

    private String fallbackGauge() {
        return metric("healthcare_rate_limit_fallback");
    }

    /** The value of a metric without further labels than the application's. */
    private String metric(String name) {
        for (String line : api.get("/metrics", null, java.util.Map.of("Accept", "text/plain")).raw().body().split("\n")) {
            if (line.startsWith(name + "{")) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private void startRedis() throws IOException {
        Path dir = Files.createTempDirectory("hb-test-redis");
        dir.toFile().deleteOnExit();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    }

    /** Polls a condition for up to 15 seconds. */
    private static boolean await(Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

}
