package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cleartext {@code Upgrade: h2c} is never honoured (no 101 Switching Protocols): through a proxy
 * that forwards the upgrade it would open a raw HTTP/2 tunnel past the proxy's rules. HTTP/2 with
 * prior knowledge still works.
 */
class H2cUpgradeTest extends ApiTest {

    /** SETTINGS_MAX_CONCURRENT_STREAMS=100, SETTINGS_INITIAL_WINDOW_SIZE=65535, base64url. */
    private static final String SETTINGS = "AAMAAABkAAQAAP__";

    @Test
    void anH2cUpgradeIsAnsweredAsTheHttp11RequestItIs() throws IOException {
        for (String connection : List.of("Upgrade, HTTP2-Settings", "upgrade,http2-settings", "Upgrade")) {
            for (String path : List.of("/health", "/api/v1/patients", "/metrics")) {
                String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection
                        + "\r\nUpgrade: h2c\r\nHTTP2-Settings: " + SETTINGS + "\r\n\r\n";
                String status = statusLine(request.getBytes(StandardCharsets.US_ASCII));
                assertThat(status).as("%s with Connection: %s", path, connection).startsWith("HTTP/1.1 ")
                        .doesNotContain("101");
            }
        }
        String post = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: " + SETTINGS + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}";
        assertThat(statusLine(post.getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 400");
    }

    @Test
    void http2WithPriorKnowledgeStillWorks() throws IOException {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] emptySettings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
        byte[] request = new byte[preface.length + emptySettings.length];
        System.arraycopy(preface, 0, request, 0, preface.length);
        System.arraycopy(emptySettings, 0, request, preface.length, emptySettings.length);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            byte[] header = socket.getInputStream().readNBytes(9);
            assertThat(header).hasSize(9);
            assertThat(header[3]).as("first frame is the server's SETTINGS").isEqualTo((byte) 4);
        }
    }

    /** The first line the server answers to the raw request. */
    private String statusLine(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            return line.toString(StandardCharsets.US_ASCII).strip();
        }
    }
}
