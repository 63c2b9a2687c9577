package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.context.TestPropertySource;

/**
 * The service with the small limits of {@code ratelimit-test.properties} (one context for all
 * rate-limit API tests). 127.0.0.1 is a trusted proxy there, so each test speaks from addresses of
 * its own through {@code X-Forwarded-For}, its set-up sign-ins included: no two tests share a budget.
 */
@TestPropertySource(locations = "classpath:ratelimit-test.properties")
abstract class RateLimitedApiTest extends ApiTest {

    /** Where this test's set-up sign-ins come from. */
    private final String setupAddress = randomAddress();

    static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    static Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    @Override
    protected String login(String email, String password) {
        Api.Response response = signIn(email, password, setupAddress);
        assertThat(response.status()).as("login of %s: %s", email, response).isEqualTo(200);
        return response.text("accessToken");
    }

    Api.Response signIn(String email, String password, String address) {
        return api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password), from(address));
    }

    /** A 429 as api.md describes it: problem+json with Retry-After and the RateLimit-* headers. */
    static void assertLimited(Api.Response response) {
        io.healthcarebackend.support.ProblemAssertions.assertProblem(response, 429, "RATE_LIMITED");
        assertThat(Long.parseLong(response.header("Retry-After"))).as("Retry-After of %s", response)
                .isPositive();
        assertThat(response.header("RateLimit-Limit")).isNotBlank();
        // Less than the request's cost is left (0, or a few units when a heavier request was refused).
        assertThat(Long.parseLong(response.header("RateLimit-Remaining"))).isNotNegative();
        assertThat(Long.parseLong(response.header("RateLimit-Reset"))).isPositive();
    }

    static long retryAfterMillis(Api.Response limited) {
        return Long.parseLong(limited.header("Retry-After")) * 1000;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
