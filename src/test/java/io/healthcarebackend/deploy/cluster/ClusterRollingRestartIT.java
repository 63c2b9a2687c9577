package io.healthcarebackend.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local cluster for real (needs the packaged jar, HAProxy, socat, psql, PostgreSQL and Redis):
 * {@code scripts/cluster.sh up} against a database of its own, {@code roll} under load, {@code down}.
 * A rolling restart of 3 API instances and the worker must fail no request, really restart every
 * instance, spread the load over every API instance, and let a request blocked in the first instance
 * when it gets SIGTERM finish with 2xx. An instance killed with SIGKILL afterwards comes back ready by
 * itself (its supervisor restarts it), and {@code down} leaves no process behind, supervisors included.
 * A drill of several minutes (four JVMs started twice under load), so not part of {@code make test}:
 * {@code make cluster-drill} runs it (tag "drill", Maven profile cluster-drill).
 */
@Tag("drill")
class ClusterRollingRestartIT {

    private static final List<String> INSTANCES = List.of("api1", "api2", "api3", "worker");
    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String DATABASE = "hb_cluster_" + RUN;
    private static final Path DIR = Commands.root().resolve("target/cluster-it-" + RUN);
    private static final Map<String, String> ENV = new HashMap<>();
    private static final Thread STOP_ON_EXIT = new Thread(ClusterRollingRestartIT::down, "cluster-down");

    @BeforeAll
    static void createDatabase() {
        Path keys = DIR.resolve("keys");
        int base = freePortBlock();
        ENV.putAll(Map.of("CLUSTER_DIR", DIR.toString(), "CLUSTER_PORT", Integer.toString(base),
                "CLUSTER_INSTANCE_BASE_PORT", Integer.toString(base), "DATABASE_NAME", DATABASE,
                "REDIS_KEY_PREFIX", "hbcluster:" + RUN + ":", "REDIS_URL", TestDatabase.REDIS_URL));
        // The load runs until the roll has ended (stop file); its own bounds only guard against a hang, and
        // on a busy machine a roll outlasts the defaults (300 s).
        ENV.putAll(Map.of("CLUSTER_LOAD_MAX_SECONDS", "1800", "CLUSTER_LOAD_MAX_REQUESTS", "200000"));
        // The development keys and audit files of this run stay in its directory, away from var/.
        ENV.putAll(Map.of("JWT_DEV_KEY_FILE", keys.resolve("jwt.json").toString(),
                "AUDIT_DEV_KEY_FILE", keys.resolve("audit-signing-key").toString(),
                "AUDIT_CHECKPOINT_DIR", keys.resolve("audit-checkpoints").toString(),
                "AUDIT_EXPORT_DIR", keys.resolve("audit-exports").toString(),
                "PHI_DEV_MASTER_KEYSET_FILE", keys.resolve("phi-master-keyset.json").toString(),
                "MFA_DEV_SECRET_KEYSET_FILE", keys.resolve("mfa-keyset.json").toString()));
        Runtime.getRuntime().addShutdownHook(STOP_ON_EXIT);
        TestDatabase.createPair(DATABASE);
    }

    @AfterAll
    static void removeEverything() throws Exception {
        try {
            down();
            Runtime.getRuntime().removeShutdownHook(STOP_ON_EXIT);
        } finally {
            TestDatabase.dropPair(DATABASE);
            Commands.run(Duration.ofMinutes(1), "sh", "-c",
                    "redis-cli -u " + TestDatabase.REDIS_URL + " --scan --pattern 'hbcluster:" + RUN + ":*'"
                            + " | xargs -r redis-cli -u " + TestDatabase.REDIS_URL + " del >/dev/null");
        }
    }

    @Test
    void aRollingRestartUnderLoadFailsNoRequest() throws IOException {
        // Generous bounds: the script's own readiness wait scales with the machine's load and fails a
        // start that makes no progress; these only stop a test that would otherwise hang.
        Commands.run(Duration.ofMinutes(20), ENV, "scripts/cluster.sh", "up").orFail();
        Map<String, Long> before = pids();

        Commands.Result roll = Commands.run(Duration.ofMinutes(30), ENV, "scripts/cluster.sh", "roll");

        assertThat(roll.exitCode()).as(roll.output()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("roll-report.json")));
        JsonNode load = report.get("load");
        assertThat(load.get("failures").asLong()).as(roll.output()).isZero();
        assertThat(load.get("ok").asLong()).as("requests answered as expected").isGreaterThanOrEqualTo(500);
        assertThat(load.get("bookings").asLong()).as("bookings made").isGreaterThanOrEqualTo(100);
        assertThat(load.get("startedAtMs").asLong()).as("load began before the roll")
                .isLessThanOrEqualTo(report.get("rollStartedAtMs").asLong());
        assertThat(load.get("stoppedAtMs").asLong()).as("load lasted past the roll")
                .isGreaterThanOrEqualTo(report.get("rollEndedAtMs").asLong());
        for (String api : List.of("api1", "api2", "api3")) {
            assertThat(load.path("servedBy").path(api).asLong()).as("requests the load generator got from " + api)
                    .isPositive();
        }
        JsonNode inflight = report.get("inflight");
        assertThat(inflight.get("status").asInt()).as("the in-flight request's status").isEqualTo(200);
        assertThat(inflight.get("seconds").asDouble()).as("the in-flight request waited for the row lock")
                .isGreaterThanOrEqualTo(inflight.get("lockHeldSeconds").asDouble() - 1);

        HaproxyRuntimeApi haproxy = new HaproxyRuntimeApi(DIR.resolve("haproxy.sock"));
        Map<String, Map<String, String>> backend = haproxy.stats("api");
        for (String api : List.of("api1", "api2", "api3")) {
            assertThat(Long.parseLong(backend.get(api).get("hrsp_2xx"))).as("2xx answers HAProxy got from " + api).isPositive();
            assertThat(backend.get(api).get("status")).isEqualTo("UP");
        }
        Map<String, String> frontend = haproxy.stats("api_in").get("FRONTEND");
        assertThat(frontend.get("hrsp_5xx")).as("5xx answers HAProxy gave clients").isEqualTo("0");

        Map<String, Long> after = pids();
        for (String instance : INSTANCES) {
            assertThat(after.get(instance)).as(instance + " restarted").isNotEqualTo(before.get(instance));
            assertThat(ProcessHandle.of(before.get(instance)).filter(ProcessHandle::isAlive)).as(instance + "'s old process")
                    .isEmpty();
        }
        long haproxyPid = pid("haproxy");

        // A crash (kill -9) is not a stop: the instance's supervisor starts it again by itself.
        long crashed = after.get("api2");
        ProcessHandle.of(crashed).ifPresent(ProcessHandle::destroyForcibly);
        long revived = awaitReadyAgain("api2", crashed);
        List<Long> supervisors = INSTANCES.stream().map(instance -> pid(instance + ".supervisor")).toList();

        Commands.run(Duration.ofMinutes(2), ENV, "scripts/cluster.sh", "down").orFail();

        List<Long> all = new java.util.ArrayList<>(List.of(after.get("api1"), revived, after.get("api3"),
                after.get("worker"), haproxyPid));
        all.addAll(supervisors);
        // `down` returns once each process has exited; an orphan's exit status may still wait for init to
        // collect it (a zombie runs nothing), so a bounded wait for that rather than an instant look.
        Instant collected = Instant.now().plus(Duration.ofSeconds(60));
        for (long pid : all) {
            while (running(pid) && Instant.now().isBefore(collected)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            assertThat(running(pid)).as("process " + pid + " still running after down").isFalse();
        }
    }

    /** Alive and not a zombie (exited, waiting to be collected). */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    /** Waits until instance {@code name} runs as another process than {@code crashed} and is ready and UP again. */
    private static long awaitReadyAgain(String name, long crashed) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (true) {
            Commands.Result status = Commands.run(Duration.ofMinutes(1), ENV, "scripts/cluster.sh", "status");
            long now = Files.exists(DIR.resolve(name + ".pid")) ? pid(name) : crashed;
            if (now != crashed && status.output().lines().anyMatch(l -> l.matches(name + "\\s+" + now + "\\s+\\d+\\s+ready\\s+UP"))) {
                return now;
            }
            assertThat(Instant.now()).as(name + " back by itself after kill -9:\n" + status.output()).isBefore(deadline);
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, Long> pids() {
        Map<String, Long> pids = new HashMap<>();
        INSTANCES.forEach(instance -> pids.put(instance, pid(instance)));
        return pids;
    }

    private static long pid(String name) {
        try {
            return Long.parseLong(Files.readString(DIR.resolve(name + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void down() {
        if (Files.isDirectory(DIR)) {
            Commands.Result result = Commands.run(Duration.ofMinutes(2), ENV, "scripts/cluster.sh", "down");
            if (result.exitCode() != 0) {
                System.err.println("cluster down failed:\n" + result.output());
            }
        }
    }

    /** A port p with p..p+4 free on 127.0.0.1 (HAProxy, then the four instances), away from the developer's 8080-8094. */
    private static int freePortBlock() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (java.util.stream.IntStream.rangeClosed(base, base + 4).allMatch(ClusterRollingRestartIT::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no 5 consecutive free ports between 20000 and 30000");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
