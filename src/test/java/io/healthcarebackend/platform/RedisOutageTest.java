package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Redis outage degrades the service, it does not stop it. Two instances (this test's context and
 * a second application on another port) use a redis-server of this test's own (persistent like the
 * shipped configuration: append-only file, fsync every second). Under a bounded load of signed-in
 * reads, searches and bookings on both instances, and a sign-in every quarter second, the test
 * kills Redis (SIGKILL), keeps the load up, starts Redis again on the same port and keeps the load
 * up. It asserts: under 1 % of the signed-in requests fail and none answers 500; sign-in, refresh
 * and MFA answer 503 problem+json while Redis is away (within the Redis timeout plus a generous
 * margin, never hanging); readiness stays 200 on both instances throughout; per-instance rate limits
 * apply during the outage; afterwards sign-in works again and the rate limit is shared again, all
 * without a restart.
 */
@DirtiesContext
class RedisOutageTest extends ApiTest {

    private static final int REDIS_PORT = Ports.free();
    private static final int WORKERS = 4;
    /** Per worker: bounds the test in count whatever the machine's speed. */
    private static final int MAX_REQUESTS_PER_WORKER = 4000;
    /** The Redis timeouts (2 s, 500 ms) plus a margin for a machine busy with both instances and the load. */
    private static final Duration SIGN_IN_BOUND = Duration.ofSeconds(20);
    private static final int PROBE_LIMIT = 1000;

    private static Path redisDir;
    private static Process redis;
    private static ConfigurableApplicationContext second;

    private enum Phase { BEFORE, OUTAGE, RECOVERING, AFTER }

    private volatile Phase phase = Phase.BEFORE;
    private volatile boolean stop;

    /** What this test changes from the run's settings, for both instances. */
    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("app.redis.url", "redis://127.0.0.1:" + REDIS_PORT);
        settings.put("app.redis.timeout", "2s");
        settings.put("app.rate-limits.redis-url", "redis://127.0.0.1:" + REDIS_PORT);
        settings.put("app.rate-limits.redis-timeout", "500ms");
        settings.put("app.rate-limits.expected-instances", "2");
        settings.put("app.rate-limits.route-classes.outage-probe.weight", "1");
        settings.put("app.rate-limits.route-classes.outage-probe.routes", "GET /health/liveness");
        settings.put("app.rate-limits.rules.outage-probe.key", "ip");
        settings.put("app.rate-limits.rules.outage-probe.route-classes", "outage-probe");
        settings.put("app.rate-limits.rules.outage-probe.algorithm", "fixed-window");
        settings.put("app.rate-limits.rules.outage-probe.limit", Integer.toString(PROBE_LIMIT));
        settings.put("app.rate-limits.rules.outage-probe.window", "1h");
        return settings;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        settings().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void startRedisAndTheSecondInstance() throws Exception {
        redisDir = Files.createTempDirectory("hb-test-redis-outage");
        startRedis();
        assertThat(awaitStatic(RedisOutageTest::redisAnswers)).as("private Redis up").isTrue();
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        settings().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        second = new SpringApplicationBuilder(HealthcareBackendApplication.class).run(arguments.toArray(String[]::new));
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (second != null) {
            second.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRedisOutageDegradesTheServiceAndEverythingRecoversWithoutARestart() throws Exception {
        Api[] instances = {api, new Api(((WebServerApplicationContext) second).getWebServer().getPort())};
        Clinic clinic = newClinic();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(new Worker(i, instances, clinic, clinic.user("RECEPTIONIST"), clinic.patient(),
                    clinic.practitioner()));
        }
        User signer = clinic.user("RECEPTIONIST");
        User holder = clinic.user("RECEPTIONIST");
        Api.Response refreshable = api.post("/api/v1/auth/login", null,
                Map.of("email", holder.email(), "password", PASSWORD));
        String refreshToken = refreshable.text("refreshToken");
        String mfaToken = refreshable.text("accessToken");

        ConcurrentLinkedQueue<String> notReady = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<SignIn> signIns = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("readiness-watch").start(() -> watchReadiness(instances, notReady)));
        threads.add(Thread.ofPlatform().name("sign-ins").start(() -> signInRepeatedly(instances, signer, signIns)));
        workers.forEach(w -> threads.add(Thread.ofPlatform().name("load-" + w.index).start(w)));
        List<Api.Response> duringOutage = new ArrayList<>();
        List<Api.Response> probesDuringOutage = new ArrayList<>();
        try {
            awaitLoad(workers, 40);

            redis.destroyForcibly();
            assertThat(redis.waitFor(30, TimeUnit.SECONDS)).isTrue();
            phase = Phase.OUTAGE;
            assertThat(await(() -> refusedOnBoth(signIns))).as("sign-in refused on both instances").isTrue();
            for (Api instance : instances) {
                duringOutage.add(instance.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken)));
                duringOutage.add(instance.post("/api/v1/auth/mfa/enrollment", mfaToken, Map.of()));
                probesDuringOutage.add(instance.get("/health/liveness", null));
            }
            awaitLoad(workers, 40);

            startRedis();
            phase = Phase.RECOVERING;
            assertThat(await(() -> signInWorksOnBoth(instances, signer))).as("sign-in works again on both").isTrue();
            phase = Phase.AFTER;
            awaitLoad(workers, 40);
        } finally {
            stop = true;
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
        }

        // Signed-in traffic carried on: under 1 % failed, none with a 500 (none of any kind is expected).
        int total = workers.stream().mapToInt(w -> w.total.get()).sum();
        int failed = workers.stream().mapToInt(w -> w.failed.get()).sum();
        List<String> failures = workers.stream().flatMap(w -> w.failures.stream()).limit(20).toList();
        System.out.printf("Redis outage: %d signed-in requests (%d during the outage), %d failed; %d sign-ins, "
                + "%d refused with 503%n", total, workers.stream().mapToInt(w -> w.outageRequests.get()).sum(), failed,
                signIns.size(), signIns.stream().filter(s -> s.status() == 503).count());
        assertThat(workers).allSatisfy(w -> assertThat(w.outageRequests.get()).as("load during the outage")
                .isPositive());
        assertThat(failed * 100.0 / total).as("failed %s of %s signed-in requests: %s", failed, total, failures)
                .isLessThan(1.0);
        assertThat(workers.stream().mapToInt(w -> w.serverErrors.get()).sum()).as("500s: %s", failures).isZero();

        // Sign-in failed closed with a 503 problem, never a 500, never hanging; then worked again.
        assertThat(signIns).isNotEmpty().allSatisfy(s -> {
            assertThat(s.status()).as("%s", s).isIn(200, 503);
            assertThat(s.elapsed()).as("%s", s).isLessThan(SIGN_IN_BOUND);
            if (s.status() == 503) {
                assertThat(s.problem()).as("%s", s).isTrue();
                assertThat(s.code()).as("%s", s).isIn("RATE_LIMIT_UNAVAILABLE", "SERVICE_UNAVAILABLE");
            }
        });
        assertThat(signIns).filteredOn(s -> s.phase() == s.ended() && (s.phase() == Phase.BEFORE
                || s.phase() == Phase.AFTER)).allSatisfy(s -> assertThat(s.status()).as("%s", s).isEqualTo(200));
        assertThat(signIns).filteredOn(s -> s.phase() == Phase.OUTAGE).anySatisfy(s ->
                assertThat(s.status()).isEqualTo(503));
        // Refresh and MFA fail closed too.
        assertThat(duringOutage).allSatisfy(r -> {
            assertThat(r.status()).as("%s", r).isEqualTo(503);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.header("Retry-After")).isNotBlank();
        });

        // Readiness never left the load balancer without an instance.
        assertThat(notReady).as("readiness answers other than 200").isEmpty();

        // Rate limits: per instance during the outage (half the limit each), shared again afterwards.
        assertThat(probesDuringOutage).allSatisfy(r -> assertThat(r.header("RateLimit-Limit"))
                .isEqualTo(Integer.toString(PROBE_LIMIT / 2)));
        assertThat(await(() -> instancesShareTheLimit(instances))).as("shared limit again").isTrue();
        assertThat(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken)).status())
                .as("the session outlived the outage").isEqualTo(200);
    }

    /** One signed-in user's mixed traffic, alternating instances: reads, searches, bookings. */
    private final class Worker implements Runnable {
        final int index;
        final Api[] instances;
        final Clinic clinic;
        final User user;
        final String patient;
        final String practitioner;
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger outageRequests = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int bookings;

        Worker(int index, Api[] instances, Clinic clinic, User user, String patient, String practitioner) {
            this.index = index;
            this.instances = instances;
            this.clinic = clinic;
            this.user = user;
            this.patient = patient;
            this.practitioner = practitioner;
        }

        @Override
        public void run() {
            for (int n = 0; !stop && n < MAX_REQUESTS_PER_WORKER; n++) {
                Api instance = instances[n % 2];
                Phase during = phase;
                int expected;
                Api.Response answer;
                try {
                    if (n % 3 == 2 && bookings < 200) {
                        expected = 201;
                        Instant start = slot(bookings++);
                        answer = instance.post("/api/v1/appointments", user.token(), Map.of("patientId", patient,
                                "practitionerId", practitioner, "start", start.toString(),
                                "end", start.plus(Duration.ofMinutes(30)).toString()));
                    } else if (n % 3 == 1) {
                        expected = 200;
                        answer = instance.get("/api/v1/appointments?practitionerId=" + practitioner + "&limit=10",
                                user.token());
                    } else {
                        expected = 200;
                        answer = instance.get("/api/v1/patients/" + patient, user.token());
                    }
                } catch (RuntimeException e) {
                    answer = null;
                    expected = -1;
                    failures.add(during + ": " + e);
                }
                total.incrementAndGet();
                if (during == Phase.OUTAGE) {
                    outageRequests.incrementAndGet();
                }
                if (answer == null || answer.status() != expected) {
                    failed.incrementAndGet();
                }
                if (answer != null && answer.status() != expected) {
                    failures.add(during + ": " + answer.status() + " " + answer.raw().body());
                }
                if (answer != null && answer.status() == 500) {
                    serverErrors.incrementAndGet();
                }
            }
        }

        /** Bookings never collide: each worker has its own patient and practitioner, slots in order. */
        private Instant slot(int k) {
            return clinic.at(1 + k / 20, 8 + (k % 20) / 2, (k % 2) * 30);
        }
    }

    /** {@code phase} when the sign-in was sent, {@code ended} when its answer came. */
    private record SignIn(Phase phase, Phase ended, int status, String code, boolean problem, Duration elapsed) {
    }

    private void signInRepeatedly(Api[] instances, User signer, ConcurrentLinkedQueue<SignIn> signIns) {
        for (int n = 0; !stop && n < 2000; n++) {
            Phase during = phase;
            Instant started = Instant.now();
            try {
                Api.Response r = instances[n % 2].post("/api/v1/auth/login", null,
                        Map.of("email", signer.email(), "password", PASSWORD));
                signIns.add(new SignIn(during, phase, r.status(), r.text("code"),
                        String.valueOf(r.header("Content-Type")).startsWith("application/problem+json"),
                        Duration.between(started, Instant.now())));
            } catch (RuntimeException e) {
                signIns.add(new SignIn(during, phase, -1, e.getClass().getSimpleName(), false,
                        Duration.between(started, Instant.now())));
            }
            pause(250);
        }
    }

    private void watchReadiness(Api[] instances, ConcurrentLinkedQueue<String> notReady) {
        while (!stop) {
            for (Api instance : instances) {
                try {
                    Api.Response r = instance.get("/health/readiness", null);
                    if (r.status() != 200) {
                        notReady.add(phase + ": " + r);
                    }
                } catch (RuntimeException e) {
                    notReady.add(phase + ": " + e);
                }
            }
            pause(250);
        }
    }

    /** Lets the load run until each worker has sent {@code count} more requests (bounded in time too). */
    private static void awaitLoad(List<Worker> workers, int count) throws InterruptedException {
        int[] from = workers.stream().mapToInt(w -> w.total.get()).toArray();
        assertThat(await(() -> {
            for (int i = 0; i < from.length; i++) {
                if (workers.get(i).total.get() < from[i] + count) {
                    return false;
                }
            }
            return true;
        })).as("load went on").isTrue();
    }

    private static boolean refusedOnBoth(ConcurrentLinkedQueue<SignIn> signIns) {
        return signIns.stream().filter(s -> s.phase() == Phase.OUTAGE && s.status() == 503).count() >= 2;
    }

    private boolean signInWorksOnBoth(Api[] instances, User signer) {
        for (Api instance : instances) {
            if (instance.post("/api/v1/auth/login", null, Map.of("email", signer.email(), "password", PASSWORD))
                    .status() != 200) {
                return false;
            }
        }
        return true;
    }

    /** Both instances report the full limit and count one budget: each request takes one from it. */
    private static boolean instancesShareTheLimit(Api[] instances) {
        Api.Response a = instances[0].get("/health/liveness", null);
        Api.Response b = instances[1].get("/health/liveness", null);
        Api.Response c = instances[0].get("/health/liveness", null);
        String full = Integer.toString(PROBE_LIMIT);
        if (!full.equals(a.header("RateLimit-Limit")) || !full.equals(b.header("RateLimit-Limit"))
                || !full.equals(c.header("RateLimit-Limit"))) {
            return false;
        }
        long first = Long.parseLong(a.header("RateLimit-Remaining"));
        return Long.parseLong(b.header("RateLimit-Remaining")) == first - 1
                && Long.parseLong(c.header("RateLimit-Remaining")) == first - 2;
    }

    private static void startRedis() throws IOException {
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(REDIS_PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", redisDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        redisDir.resolve("redis.log").toFile()))
                .start();
    }

    private static boolean redisAnswers() {
        try {
            Process ping = new ProcessBuilder("redis-cli", "-p", Integer.toString(REDIS_PORT), "ping")
                    .redirectErrorStream(true).start();
            String out = new String(ping.getInputStream().readAllBytes()).strip();
            return ping.waitFor(10, TimeUnit.SECONDS) && out.equals("PONG");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls a condition for up to 60 seconds. */
    private static boolean await(Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static boolean awaitStatic(Supplier<Boolean> condition) throws InterruptedException {
        return await(condition);
    }
}
