package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Each algorithm against the real Redis: the limit is allowed, the next request is a 429 with the
 * right headers, and the budget comes back (refill, sliding out, window end) after Retry-After.
 * 3 requests per address: a bucket refilled over 6 seconds, windows of 3 (ratelimit-test.properties).
 */
class RateLimitAlgorithmsTest extends RateLimitedApiTest {

    @Test
    void aTokenBucketAllowsItsBurstThenRefusesAndRefillsOverTheWindow() {
        String address = randomAddress();
        List<Api.Response> burst = probe("/health/liveness", address, 3);
        assertThat(burst).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(burst).extracting(r -> r.header("RateLimit-Remaining")).containsExactly("2", "1", "0");
        assertThat(burst.getFirst().header("RateLimit-Limit")).isEqualTo("3");

        Api.Response refused = get("/health/liveness", address);
        assertLimited(refused);
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        // One token comes back every 2 seconds: the answer says so.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);

        sleep(retryAfterMillis(refused));
        assertThat(get("/health/liveness", address).status()).isEqualTo(200);
        assertLimited(get("/health/liveness", address));
    }

    @Test
    void aSlidingWindowRefusesPastTheLimitAndLetsRequestsBackAsTheWindowSlides() {
        String address = randomAddress();
        assertThat(probe("/.well-known/jwks.json", address, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

        Api.Response refused = get("/.well-known/jwks.json", address);
        assertLimited(refused);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 6L);

        sleep(retryAfterMillis(refused));
        assertThat(get("/.well-known/jwks.json", address).status()).isEqualTo(200);
    }

    @Test
    void aFixedWindowRefusesUntilItsWindowEndsThenStartsAFreshOne() {
        String address = randomAddress();
        List<Api.Response> allowed = probe("/health/readiness", address, 3);
        assertThat(allowed).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(allowed).extracting(r -> r.header("RateLimit-Remaining")).containsExactly("2", "1", "0");

        Api.Response refused = get("/health/readiness", address);
        assertLimited(refused);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3L);

        sleep(retryAfterMillis(refused));
        assertThat(probe("/health/readiness", address, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertLimited(get("/health/readiness", address));
    }

    @Test
    void refusedRequestsDoNotCountSoHammeringDoesNotProlongTheWait() {
        String address = randomAddress();
        probe("/health/readiness", address, 3);
        Api.Response first = get("/health/readiness", address);
        assertLimited(first);
        probe("/health/readiness", address, 20);

        sleep(retryAfterMillis(first));
        assertThat(get("/health/readiness", address).status()).isEqualTo(200);
    }

    @Test
    void eachAddressHasItsOwnBudgetAndRoutesWithoutARuleAreNotLimited() {
        String address = randomAddress();
        probe("/health/liveness", address, 3);
        assertLimited(get("/health/liveness", address));

        assertThat(get("/health/liveness", randomAddress()).status()).isEqualTo(200);
        Api.Response health = get("/health", address);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("RateLimit-Limit")).isNull();
    }

    @Test
    void headRequestsCountLikeTheGetTheyAreServedBy() throws Exception {
        String address = randomAddress();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest head = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("X-Forwarded-For", address).build();
        for (int i = 0; i < 3; i++) {
            assertThat(client.send(head, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(client.send(head, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(429);
        assertLimited(get("/health/readiness", address));
    }

    @Test
    void refusalsAreCountedPerRuleAndRouteClassOnMetrics() {
        String address = randomAddress();
        probe("/health/liveness", address, 4);

        String metrics = api.get("/metrics", null, java.util.Map.of("Accept", "text/plain")).raw().body();
        assertThat(metrics).containsPattern(
                "healthcare_rate_limited_total\\{[^}]*route_class=\"probe-tb\",rule=\"probe-tb\"[^}]*} [1-9]");
        assertThat(metrics).contains("healthcare_rate_limited_total{").contains("rule=\"login-ip\"")
                .contains("healthcare_rate_limit_fallback{").contains("healthcare_rate_limit_fallback_seconds_total{");
    }

    private List<Api.Response> probe(String path, String address, int times) {
        List<Api.Response> responses = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            responses.add(get(path, address));
        }
        return responses;
    }

    private Api.Response get(String path, String address) {
        return api.get(path, null, from(address));
    }

    @Autowired
    Limiter limiter;

    @Autowired
    StringRedisTemplate redis;

    /**
     * A sign-in takes a unit before the password is checked and gives it back once it is right;
     * when the window turns in between, the unit must not stay counted in the previous window.
     */
    @Test
    void aUnitGivenBackAfterItsWindowTurnedIsNoLongerCounted() throws InterruptedException {
        Rule rule = new Rule("test-refund-boundary", KeyKind.IP, Set.of("read"), Algorithm.SLIDING_WINDOW, 3,
                Duration.ofSeconds(1), false);
        String key = UUID.randomUUID().toString();
        sleepUntilWindowOffset(700);
        long takenAt = redisMillis();
        assertThat(limiter.consume(rule, key, 1).allowed()).isTrue();
        sleepUntilWindowOffset(100);
        assertThat(redisMillis() / 1000).as("the window turned").isGreaterThan(takenAt / 1000);

        limiter.refund(rule, key, 1);

        assertThat(limiter.peek(rule, key).remaining()).isEqualTo(3);
    }

    private long redisMillis() {
        return redis.execute((RedisCallback<Long>) RedisConnection::time);
    }

    /** Sleeps until the Redis clock is {@code offset} ms into a one-second window (the next time it is). */
    private void sleepUntilWindowOffset(long offset) throws InterruptedException {
        long now = redisMillis();
        Thread.sleep(Math.floorMod(offset - now % 1000, 1000L) + 1);
    }
}
