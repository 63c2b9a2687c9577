package io.healthcarebackend.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Ports;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.healthcarebackend.HealthcareBackendApplication",
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
            awaitHealthy(port, process);
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

    private static void awaitHealthy(int port, Process process) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("the service process is running").isTrue();
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service did not become healthy");
    }
}
