package io.healthcarebackend.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the running service: JSON in, status + JSON out. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text(String field) {
            JsonNode node = body.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        /** The {@code items} of a 200 list page (fails the test on any other answer). */
        public java.util.List<JsonNode> items() {
            org.assertj.core.api.Assertions.assertThat(status).as("%s", this).isEqualTo(200);
            java.util.List<JsonNode> items = new java.util.ArrayList<>();
            body.get("items").forEach(items::add);
            return items;
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Response post(String path, String token, Object body) {
        return send(request(path, token).POST(bodyOf(body)));
    }

    public Response post(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).POST(bodyOf(body));
        headers.forEach(builder::header);
        return send(builder);
    }

    public Response get(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).GET();
        headers.forEach(builder::header);
        return send(builder);
    }

    public Response delete(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).DELETE();
        headers.forEach(builder::header);
        return send(builder);
    }

    public Response patch(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).method("PATCH", bodyOf(body));
        headers.forEach(builder::header);
        return send(builder);
    }

    public Response put(String path, String token, Object body) {
        return send(request(path, token).PUT(bodyOf(body)));
    }

    public Response patch(String path, String token, Object body) {
        return send(request(path, token).method("PATCH", bodyOf(body)));
    }

    /** Sends a raw body as is (for malformed JSON and size tests). */
    public Response postRaw(String path, String token, String raw) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(raw)));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) {
        if (body == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    }

    /**
     * The trace ids the service answered (X-Trace-Id) to the requests sent with each traceparent:
     * the service makes its own trace id for every request, so a test that tags its requests with a
     * traceparent ({@link AuditLog.Trace}) finds their audit events through these.
     */
    private static final Map<String, java.util.List<String>> TRACES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The service's trace ids of the requests sent so far with {@code traceparent}, oldest first. */
    public static java.util.List<String> traceIdsAnswered(String traceparent) {
        return java.util.List.copyOf(TRACES.getOrDefault(traceparent, java.util.List.of()));
    }

    private static Response send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            request.headers().firstValue("traceparent").ifPresent(parent -> response.headers()
                    .firstValue("X-Trace-Id").ifPresent(id -> TRACES.computeIfAbsent(parent,
                            k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(id)));
            String text = response.body();
            JsonNode node = text == null || text.isBlank() ? JSON.createObjectNode() : parse(text);
            return new Response(response.statusCode(), node, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("_raw", text);
        }
    }
}
