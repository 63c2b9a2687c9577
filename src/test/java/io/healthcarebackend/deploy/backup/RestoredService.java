package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.Ports;
import io.healthcarebackend.support.ProcessStarts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The packaged service (target/healthcare-backend.jar) run on a restored database pair, configured
 * like this test run's service: the same signing keys, PHI master keyset and test profile, and a
 * copy of the run's audit checkpoint store (one checkpoint store per database: the restore must not
 * append checkpoints of its own to the original's).
 */
final class RestoredService implements AutoCloseable {

    /** Properties the test run set for its own service (support.TestDatabase) that the restore shares. */
    private static final List<String> SHARED = List.of("app.jwt.dev-key-file", "app.audit.dev-key-file",
            "app.phi.dev-master-keyset-file");

    private final String database;
    private final Path checkpoints;
    private Process server;
    private Path serverLog;
    private int port;

    RestoredService(String database, Path workDir) {
        this.database = database;
        this.checkpoints = workDir.resolve("checkpoints-" + database);
        Path original = Path.of(System.getProperty("app.audit.checkpoint-dir"));
        try {
            Files.createDirectories(checkpoints);
            if (Files.isDirectory(original)) {
                try (Stream<Path> files = Files.list(original)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, checkpoints.resolve(file.getFileName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Short-lived: the C1 compiler alone starts it sooner.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx384m",
                "-Dspring.profiles.active=test",
                "-Dspring.config.additional-location=optional:file:target/test-classes/",
                "-Dspring.datasource.url=" + BackupScripts.url(database),
                "-Dapp.phi.keystore.url=" + BackupScripts.url(database + "_keys"),
                "-Dapp.audit.checkpoint-dir=" + checkpoints));
        for (String property : SHARED) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        command.addAll(List.of("-jar", "target/healthcare-backend.jar"));
        command.addAll(List.of(args));
        return command;
    }

    /** {@code java -jar target/healthcare-backend.jar audit-verify} (what make audit-verify runs) on the restore. */
    Commands.Result auditVerify() {
        assertThat(Commands.root().resolve("target/healthcare-backend.jar")).as("run after `package`").exists();
        return Commands.run(ProcessStarts.scaled(Duration.ofSeconds(90)), Map.of(), java("audit-verify"));
    }

    /** Starts the service's web server on the restore (see {@link #awaitHealthy()}). */
    void start() throws IOException {
        int port = Ports.free();
        serverLog = Files.createTempFile("hb-restored-service", ".log");
        List<String> command = java();
        command.add(command.size() - 2, "-Dserver.port=" + port);
        server = new ProcessBuilder(command).directory(Commands.root().toFile()).redirectErrorStream(true)
                .redirectOutput(serverLog.toFile()).start();
        this.port = port;
    }

    /**
     * Waits until the started service answers /health with 200 and a connected database: while it
     * makes progress, within 90 s times the load per core (ProcessStarts).
     */
    Api awaitHealthy() throws InterruptedException {
        Api api = new Api(port);
        AtomicReference<Api.Response> healthy = new AtomicReference<>();
        ProcessStarts.await("the service on the restore answers /health", server, serverLog, Duration.ofSeconds(90),
                () -> {
                    try {
                        Api.Response health = api.get("/health", null);
                        healthy.set(health);
                        return health.status() == 200;
                    } catch (RuntimeException notYetListening) {
                        return false;
                    }
                });
        assertThat(healthy.get().text("database")).as("the restore's database:\n%s", log()).isEqualTo("connected");
        return api;
    }

    private String log() {
        try {
            return Files.readString(serverLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(serverLog);
        }
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(checkpoints);
    }
}
