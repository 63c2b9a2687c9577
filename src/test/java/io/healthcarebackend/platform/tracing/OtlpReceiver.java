package io.healthcarebackend.platform.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in this JVM, as a collector would be: {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} (protobuf), answered 200. Every span received is kept, decoded
 * into ids, names and attributes.
 */
final class OtlpReceiver {

    record Received(String traceId, String spanId, String parentSpanId, String name, String kind,
            Map<String, String> attributes, List<String> linkedTraceIds, List<String> linkedSpanIds,
            String statusMessage, List<Map<String, String>> eventAttributes, Map<String, String> resource) {

        String attribute(String key) {
            return attributes.get(key);
        }

        boolean root() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to: the base URL, without /v1/traces. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resource : request.getResourceSpansList()) {
                Map<String, String> resourceAttributes = attributes(resource.getResource().getAttributesList());
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                        spans.add(decode(span, resourceAttributes));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static Received decode(io.opentelemetry.proto.trace.v1.Span span, Map<String, String> resource) {
        HexFormat hex = HexFormat.of();
        List<String> linkedTraces = new ArrayList<>();
        List<String> linkedSpans = new ArrayList<>();
        for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
            linkedTraces.add(hex.formatHex(link.getTraceId().toByteArray()));
            linkedSpans.add(hex.formatHex(link.getSpanId().toByteArray()));
        }
        List<Map<String, String>> events = new ArrayList<>();
        for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
            events.add(attributes(event.getAttributesList()));
        }
        return new Received(hex.formatHex(span.getTraceId().toByteArray()),
                hex.formatHex(span.getSpanId().toByteArray()), hex.formatHex(span.getParentSpanId().toByteArray()),
                span.getName(), span.getKind().name(), attributes(span.getAttributesList()), linkedTraces,
                linkedSpans, span.getStatus().getMessage(), events, resource);
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (KeyValue kv : values) {
            attributes.put(kv.getKey(), text(kv.getValue()));
        }
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }
}
