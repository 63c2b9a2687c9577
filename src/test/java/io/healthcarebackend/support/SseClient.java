package io.healthcarebackend.support;

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

/**
 * Reads a server-sent event stream as a fetch()-based browser client does (EventSource cannot send
 * a bearer header): a plain GET with the bearer token and any other headers ({@code Last-Event-ID}
 * when resuming), the body read line by line by the JDK HttpClient on a thread of its own and
 * parsed in the SSE wire format (one optional space after the colon), as EventSource parses it.
 * Every line, comment and dispatched event is kept for the test to look at.
 */
public class SseClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One event as dispatched: SSE id (null when it had none), name ({@code message} when it had
     * none), data (its data lines joined by newlines), and its lines as they came.
     */
    public record Event(String id, String name, String data, String raw) {

        public JsonNode json() {
            return JSON.readTree(data);
        }

        /** A field of the JSON data as text; null when absent or null. */
        public String text(String field) {
            JsonNode node = json().path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }
    }

    public final int status;
    public final String contentType;
    public final List<Event> events = new CopyOnWriteArrayList<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final Stream<String> body;
    private final Thread reader;

    protected SseClient(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** GET {@code path} of the local service; {@code token} may be null (no Authorization header). */
    public static SseClient open(int port, String path, String token, Map<String, String> headers) {
        return new SseClient(send(port, path, token, headers));
    }

    protected static HttpResponse<Stream<String>> send(int port, String path, String token,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        List<String> raw = new ArrayList<>();
        try {
            for (String line : (Iterable<String>) body::iterator) {
                lines.add(line);
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name == null ? "message" : name, data.toString(),
                                String.join("\n", raw)));
                    }
                    id = null;
                    name = null;
                    data = null;
                    raw.clear();
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                    continue;
                }
                raw.add(line);
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        } catch (RuntimeException e) {
            // closed by the test
        }
    }

    /** The first event matching, waiting up to {@code within}; null when none came. */
    public Event await(Predicate<Event> matching, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            for (Event event : events) {
                if (matching.test(event)) {
                    return event;
                }
            }
            if (!Instant.now().isBefore(deadline)) {
                return null;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    public Event awaitNamed(String name, Duration within) {
        return await(e -> name.equals(e.name()), within);
    }

    /** The names of the events so far, in order. */
    public List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** Whether the server has ended the body. */
    public boolean ended() {
        return !reader.isAlive();
    }

    /** Waits until the server has ended the body; true when it did within the time. */
    public boolean awaitEnd(Duration within) {
        try {
            reader.join(within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ended();
    }

    @Override
    public void close() {
        body.close();
        reader.interrupt();
    }
}
