package io.healthcarebackend.deploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.healthcarebackend.support.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped HAProxy configurations never log a query string: a query may carry PHI (a client
 * that still searches with GET /api/v1/patients?name=…), and an access log is kept and shipped far
 * more widely than the database. Checked on the text of every shipped configuration, and on the log
 * line a real HAProxy writes with the local cluster's template.
 */
class HaproxyAccessLogTest {

    /** Log-format fields that contain the query string: the request line, the URI, the query. */
    private static final Pattern QUERY_FIELDS = Pattern.compile("%(\\{[^}]*})?(r|HU|HQ)\\b");
    private static final String CANARY = "Canaryname";

    @ParameterizedTest
    @ValueSource(strings = {"deploy/haproxy/haproxy.cfg.template", "deploy/compose/haproxy/haproxy.cfg"})
    void everyShippedConfigurationLogsThePathWithoutItsQuery(String file) throws IOException {
        String config = Files.readString(Path.of(file));
        Matcher defaults = Pattern.compile("(?ms)^defaults\\b.*?(?=^\\S|\\z)").matcher(config);
        assertThat(defaults.find()).as("%s has a defaults section", file).isTrue();

        assertThat(config).as("%s: option httplog logs the whole request line (%%r)", file)
                .doesNotContainPattern("(?m)^\\s*option\\s+https?log\\b");
        assertThat(defaults.group()).as(file).containsPattern("(?m)^\\s*log-format .*%\\{\\+Q}HPO");
        Matcher formats = Pattern.compile("(?m)^\\s*(log-format|log-format-sd|error-log-format)\\s+(.*)$")
                .matcher(config);
        while (formats.find()) {
            assertThat(formats.group(2)).as("%s: %s", file, formats.group()).doesNotContainPattern(QUERY_FIELDS);
        }
        assertThat(config).as("%s: every section that logs uses the defaults' format", file)
                .doesNotContainPattern("(?m)^\\s*option\\s+tcplog\\b");
    }

    @Test
    void aRealHaproxyWithTheClusterTemplateLogsTheRequestWithoutItsQuery(@TempDir Path dir) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        backend.start();
        int port = Ports.free();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, Files.readString(Path.of("deploy/haproxy/haproxy.cfg.template"))
                .replace("@SOCKET@", dir.resolve("haproxy.sock").toString())
                .replace("@CLUSTER_PORT@", String.valueOf(port))
                .replace("@SERVERS@", "    server api1 127.0.0.1:" + backend.getAddress().getPort()));
        Path log = dir.resolve("haproxy.log");
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            String query = "/api/v1/patients?name=" + CANARY + "&birthDate=1961-07-04";
            assertThat(answerThrough(port, query, haproxy, log)).isEqualTo(200);

            String line = awaitLine(log, "/api/v1/patients", haproxy);
            assertThat(line).as(line).contains("\"GET\" \"/api/v1/patients\"").doesNotContain(CANARY)
                    .doesNotContain("1961").doesNotContain("?");
        } finally {
            haproxy.destroy();
            haproxy.waitFor();
            backend.stop(0);
        }
    }

    /** Sends the request through HAProxy until its server is up (two passed health checks). */
    private static int answerThrough(int port, String path, Process haproxy, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            assertThat(haproxy.isAlive()).as("haproxy exited: %s", Files.readString(log)).isTrue();
            try {
                status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return status;
                }
            } catch (IOException notYetListening) {
                status = -1;
            }
            Thread.sleep(200);
        }
        return status;
    }

    private static String awaitLine(Path log, String containing, Process haproxy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(containing) && line.contains(" 200 ")) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no access log line for " + containing + " in:\n" + Files.readString(log));
    }
}
