package io.healthcarebackend.audit.dashboard;

import io.healthcarebackend.support.SseClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The live tail, {@code /logger/api/stream}, read the way the page does ({@link SseClient}). */
final class LoggerTail extends SseClient {

    private LoggerTail(HttpResponse<Stream<String>> response) {
        super(response);
    }

    static LoggerTail open(int port, String token, Map<String, String> headers) {
        return new LoggerTail(send(port, "/logger/api/stream", token, headers));
    }

    static LoggerTail open(int port, String token) {
        return open(port, token, Map.of());
    }

    /** The events of one request (its trace id). */
    static Predicate<Event> trace(String traceId) {
        return e -> traceId.equals(e.text("traceId"));
    }
}
