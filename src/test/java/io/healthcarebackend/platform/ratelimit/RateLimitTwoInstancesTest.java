package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service (this test's context and a second one on another port) against one
 * Redis hold one shared limit: 2,000 concurrent requests from one address, split between them,
 * against a limit of 1,000 per hour, get 1,000 answers (within 1 %) and 429 for the rest; for each
 * of the three algorithms.
 */
class RateLimitTwoInstancesTest extends RateLimitedApiTest {

    private static final int LIMIT = 1000;
    private static final int REQUESTS = 2000;
    private static final int THREADS = 8;

    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startSecondInstance() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = RateLimitTwoInstancesTest.class.getResourceAsStream("/ratelimit-test.properties")) {
            properties.load(in);
        }
        // As arguments: they outrank application.yml, as the test context's property source does.
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        second = new SpringApplicationBuilder(HealthcareBackendApplication.class).run(arguments.toArray(String[]::new));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aTokenBucketHoldsAcrossInstances() throws Exception {
        assertSharedLimitHolds("/logger");
    }

    @Test
    void aSlidingWindowHoldsAcrossInstances() throws Exception {
        assertSharedLimitHolds("/logger/logger.js");
    }

    @Test
    void aFixedWindowHoldsAcrossInstances() throws Exception {
        assertSharedLimitHolds("/logger/logger.css");
    }

    private void assertSharedLimitHolds(String path) throws Exception {
        Api[] instances = {api, new Api(((WebServerApplicationContext) second).getWebServer().getPort())};
        String address = randomAddress();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                Api instance = instances[i % 2];
                answers.add(pool.submit(() -> instance.get(path, null, from(address)).status()));
            }
            int allowed = 0;
            int refused = 0;
            int[] perInstance = new int[2];
            for (int i = 0; i < answers.size(); i++) {
                int status = answers.get(i).get(60, TimeUnit.SECONDS);
                if (status == 200) {
                    allowed++;
                    perInstance[i % 2]++;
                } else if (status == 429) {
                    refused++;
                }
            }
            assertThat(allowed + refused).as("every answer is 200 or 429").isEqualTo(REQUESTS);
            assertThat(allowed).as("allowed across both instances").isBetween(LIMIT - LIMIT / 100, LIMIT + LIMIT / 100);
            assertThat(perInstance[0] > 0 && perInstance[1] > 0).as("both instances served: %s", perInstance).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
