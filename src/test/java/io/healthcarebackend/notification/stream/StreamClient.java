package io.healthcarebackend.notification.stream;

import io.healthcarebackend.support.SseClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code GET /api/v1/events/stream} read as a browser client reads it ({@link SseClient}), and its appointment events. */
final class StreamClient extends SseClient {

    static final String PATH = "/api/v1/events/stream";
    private static final List<String> APPOINTMENT_TYPES = List.of("BOOKED", "RESCHEDULED", "CANCELLED", "CHECKED_IN",
            "COMPLETED", "NO_SHOW");

    private StreamClient(HttpResponse<Stream<String>> response) {
        super(response);
    }

    static StreamClient open(int port, String token, Map<String, String> headers) {
        return new StreamClient(send(port, PATH, token, headers));
    }

    static StreamClient open(int port, String token) {
        return open(port, token, Map.of());
    }

    static StreamClient resume(int port, String token, String lastEventId) {
        return open(port, token, Map.of("Last-Event-ID", lastEventId));
    }

    static boolean isAppointment(Event event) {
        return APPOINTMENT_TYPES.contains(event.name());
    }

    /** The appointment event about {@code appointmentId} of the given type. */
    Event awaitAppointment(String type, String appointmentId, Duration within) {
        return await(e -> type.equals(e.name()) && appointmentId.equals(e.text("appointmentId")), within);
    }

    List<Event> appointmentEvents() {
        return events.stream().filter(StreamClient::isAppointment).toList();
    }
}
