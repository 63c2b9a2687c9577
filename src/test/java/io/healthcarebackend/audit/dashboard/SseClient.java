package io.healthcarebackend.audit.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code /logger/api/stream} the way the page does: a plain GET with a bearer header. */
final class SseClient implements AutoCloseable {

    record Frame(String id, String event, JsonNode data, String raw) {
        String text(String field) {
            JsonNode node = data.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final int status;
    final String contentType;
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Stream<String> body;
    private final Thread reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseClient open(int port, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/logger/api/stream")).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return new SseClient(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SseClient open(int port, String token) {
        return open(port, token, Map.of());
    }

    private void read() {
        List<String> frame = new ArrayList<>();
        try {
            body.forEach(line -> {
                lines.add(line);
                if (!line.isEmpty()) {
                    frame.add(line);
                    return;
                }
                String id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String field : frame) {
                    if (field.startsWith("id: ")) {
                        id = field.substring(4);
                    } else if (field.startsWith("event: ")) {
                        event = field.substring(7);
                    } else if (field.startsWith("data: ")) {
                        data.append(field.substring(6));
                    }
                }
                if (!data.isEmpty()) {
                    frames.add(new Frame(id, event, JSON.readTree(data.toString()), String.join("\n", frame)));
                }
                frame.clear();
            });
        } catch (RuntimeException e) {
            // closed
        }
    }

    /** The first frame matching, waiting up to {@code within}; null when none came. */
    Frame await(Predicate<Frame> matching, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            for (Frame frame : frames) {
                if (matching.test(frame)) {
                    return frame;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    static Predicate<Frame> trace(String traceId) {
        return f -> traceId.equals(f.text("traceId"));
    }

    boolean ended() {
        return !reader.isAlive();
    }

    /** Waits until the server has ended the body; true when it did within the time. */
    boolean awaitEnd(Duration within) {
        try {
            reader.join(within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !reader.isAlive();
    }

    @Override
    public void close() {
        body.close();
        reader.interrupt();
    }
}
