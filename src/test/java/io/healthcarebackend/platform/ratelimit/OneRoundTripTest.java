package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A request's rate-limit rules cost one Redis round trip: once its token is known, the per-address
 * rule is counted with the per-user and per-clinic ones, after authentication, in one script call
 * (watched with Redis's MONITOR). And the call is all or nothing: a rule that refuses leaves the
 * others' budgets as they were.
 */
class OneRoundTripTest extends RateLimitedApiTest {

    @Autowired
    Limiter limiter;

    @Autowired
    StringRedisTemplate redis;

    @Value("${app.redis.url}")
    String redisUrl;

    @Test
    void everyRuleOfASignedInRequestIsOneScriptCall() throws Exception {
        Clinic clinic = newClinic();
        String token = clinic.user("RECEPTIONIST").token();
        String address = randomAddress();
        // The first request verifies the token; from then on the instance knows it.
        assertThat(api.get("/api/v1/appointments", token, from(address)).status()).isEqualTo(200);

        List<String> calls;
        try (Monitor monitor = new Monitor(URI.create(redisUrl))) {
            for (int i = 0; i < 5; i++) {
                Api.Response listed = api.get("/api/v1/appointments", token, from(address));
                assertThat(listed.status()).isEqualTo(200);
                assertThat(listed.header("RateLimit-Limit")).isNotBlank();
            }
            // Commands a script runs show as "[0 lua]" lines: only the clients' own count as round trips.
            calls = monitor.commandsUntil(redis, line -> line.contains("rl:") && line.contains(address)
                    && !line.contains(" lua]"));
        }

        assertThat(calls).as("rate-limit commands sent naming this address").hasSize(5).allSatisfy(call -> {
            assertThat(call).containsAnyOf("\"EVALSHA\"", "\"EVAL\"");
            // The address, the user and the clinic rule in the one call.
            assertThat(call).contains("rl:ip:" + address).contains("rl:user:").contains("rl:clinic:" + clinic.id);
        });
    }

    @Test
    void aRuleThatRefusesLeavesTheOtherRulesBudgetsAsTheyWere() {
        Rule tight = new Rule("test-all-or-nothing-a", KeyKind.IP, Set.of("read"), Algorithm.FIXED_WINDOW, 1,
                Duration.ofMinutes(1), false);
        Rule loose = new Rule("test-all-or-nothing-b", KeyKind.USER, Set.of("read"), Algorithm.SLIDING_WINDOW, 5,
                Duration.ofMinutes(1), false);
        String key = UUID.randomUUID().toString();
        List<Limiter.RuleKey> both = List.of(new Limiter.RuleKey(tight, key), new Limiter.RuleKey(loose, key));

        assertThat(limiter.consumeAll(both, 1)).extracting(Decision::allowed).containsExactly(true, true);
        List<Decision> second = limiter.consumeAll(both, 1);

        assertThat(second).extracting(Decision::allowed).containsExactly(false, true);
        assertThat(limiter.peek(loose, key).remaining()).as("the refused request took nothing").isEqualTo(4);
    }

    @Test
    void aTokenBucketThatRefusesGivesTheWindowsTheirUnitsBack() {
        Rule bucket = new Rule("test-all-or-nothing-tb", KeyKind.IP, Set.of("read"), Algorithm.TOKEN_BUCKET, 1,
                Duration.ofMinutes(10), false);
        Rule window = new Rule("test-all-or-nothing-fw", KeyKind.USER, Set.of("read"), Algorithm.FIXED_WINDOW, 5,
                Duration.ofMinutes(1), false);
        String key = UUID.randomUUID().toString();
        List<Limiter.RuleKey> both = List.of(new Limiter.RuleKey(window, key), new Limiter.RuleKey(bucket, key));

        assertThat(limiter.consumeAll(both, 1)).extracting(Decision::allowed).containsExactly(true, true);
        List<Decision> second = limiter.consumeAll(both, 1);

        assertThat(second).extracting(Decision::allowed).containsExactly(true, false);
        assertThat(limiter.peek(window, key).remaining()).as("the refused request took nothing").isEqualTo(4);
    }

    /** Redis's MONITOR on a connection of its own: every command the server runs, one line each. */
    private static final class Monitor implements AutoCloseable {

        private static final Duration PATIENCE = Duration.ofSeconds(60);

        private final Socket socket;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Monitor(URI redis) throws Exception {
            socket = new Socket(redis.getHost(), redis.getPort() == -1 ? 6379 : redis.getPort());
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("+OK");
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = in.readLine()) != null;) {
                        lines.add(line);
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
        }

        /** The lines matching {@code wanted} up to a marker sent now: everything before it has been seen. */
        List<String> commandsUntil(StringRedisTemplate redis, java.util.function.Predicate<String> wanted)
                throws InterruptedException {
            String marker = "monitor-marker-" + UUID.randomUUID();
            redis.opsForValue().get(marker);
            List<String> seen = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                if (line.contains(marker)) {
                    return seen;
                }
                if (wanted.test(line)) {
                    seen.add(line);
                }
            }
            throw new AssertionError("MONITOR did not show the marker within " + PATIENCE);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
