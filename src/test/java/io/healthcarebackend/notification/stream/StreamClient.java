package io.healthcarebackend.notification.stream;

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
 * Reads {@code GET /api/v1/events/stream} as a fetch()-based browser client does: a plain GET
 * with a bearer header (and {@code Last-Event-ID} when resuming), the body read line by line by
 * the JDK HttpClient and parsed as server-sent events.
 */
final class StreamClient implements AutoCloseable {

    static final String PATH = "/api/v1/events/stream";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> APPOINTMENT_TYPES = List.of("BOOKED", "RESCHEDULED", "CANCELLED", "CHECKED_IN",
            "COMPLETED", "NO_SHOW");

    /** One event as dispatched: SSE id (null when the event had none), name, data. */
    record Event(String id, String name, String data) {
        JsonNode json() {
            return JSON.readTree(data);
        }

        String text(String field) {
            JsonNode node = json().path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        boolean isAppointment() {
            return APPOINTMENT_TYPES.contains(name);
        }
    }

    final int status;
    final String contentType;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    private final Stream<String> body;
    private final Thread reader;

    private StreamClient(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static StreamClient open(int port, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return new StreamClient(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static StreamClient open(int port, String token) {
        return open(port, token, Map.of());
    }

    static StreamClient resume(int port, String token, String lastEventId) {
        return open(port, token, Map.of("Last-Event-ID", lastEventId));
    }

    /** The SSE wire format (one optional space after the colon), as EventSource parses it. */
    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) body::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name == null ? "message" : name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                    continue;
                }
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
    Event await(Predicate<Event> matching, Duration within) {
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
            pause();
        }
    }

    Event awaitNamed(String name, Duration within) {
        return await(e -> name.equals(e.name()), within);
    }

    /** The appointment event about {@code appointmentId} of the given type. */
    Event awaitAppointment(String type, String appointmentId, Duration within) {
        return await(e -> type.equals(e.name()) && appointmentId.equals(e.text("appointmentId")), within);
    }

    List<Event> appointmentEvents() {
        return events.stream().filter(Event::isAppointment).toList();
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

    List<String> names() {
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.name()));
        return names;
    }

    @Override
    public void close() {
        body.close();
        reader.interrupt();
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
