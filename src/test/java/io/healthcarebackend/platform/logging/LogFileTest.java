package io.healthcarebackend.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Ports;
import io.healthcarebackend.support.ProcessStarts;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code LOG_FILE} makes a separate service process write its logs, as ECS JSON lines, to that
 * file besides stdout. Run as its own process because logging is configured once per JVM.
 */
class LogFileTest {

    @Test
    void logFileReceivesStructuredLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("service.log");
        int port = Ports.free();
        // C1 only and the serial collector: about half the CPU time to start (the JIT tier changes no behaviour).
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.healthcarebackend.HealthcareBackendApplication",
                "--server.port=" + port, "--spring.profiles.active=test",
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(), "--app.redis.url=",
                "--app.phi.keystore.url=" + TestDatabase.keysJdbcUrl(),
                "--app.phi.dev-master-keyset-file=" + System.getProperty("app.phi.dev-master-keyset-file"),
                "--app.jwt.dev-key-file=" + dir.resolve("key.json"),
                // The run's own audit key and checkpoints: never the checkout's var/ directory.
                "--app.audit.dev-key-file=" + System.getProperty("app.audit.dev-key-file"),
                "--app.audit.checkpoint-dir=" + System.getProperty("app.audit.checkpoint-dir"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().put("LOG_FILE", file.toString());
        Process process = builder.start();
        try {
            awaitHealthy(port, process, dir.resolve("stdout.txt"));
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).isNotEmpty();
            JsonMapper json = JsonMapper.builder().build();
            for (String line : lines) {
                JsonNode node = json.readTree(line);
                assertThat(node.path("@timestamp").isString()).as(line).isTrue();
                assertThat(node.path("log").path("level").isString()).as(line).isTrue();
            }
            assertThat(lines).anyMatch(l -> l.contains("Started HealthcareBackendApplication"));
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    /**
     * Waits for /health = 200 for as long as the process makes progress, within 90 s times the load
     * per core (ProcessStarts: a start on a busy machine is slow, not broken).
     */
    private static void awaitHealthy(int port, Process process, Path stdout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build();
        ProcessStarts.await("the service answers 200 on /health", process, stdout, Duration.ofSeconds(90), () -> {
            try {
                return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false; // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }
}
