package io.healthcarebackend.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The last step before spans leave the process: only attributes the service knows to be free of
 * PHI go out. What instrumentation might add beyond them — a Redis command's arguments (keys and
 * values), an exception's message and stack trace (a constraint violation's message quotes the
 * row), the error text in a span's status — is dropped here, whatever library put it there. Kept:
 * route templates and methods, status codes, SQL text with placeholders (its literals already
 * replaced, see {@code platform.db.SqlText}), Redis command names, job and transaction names,
 * exception class names.
 */
final class PhiSafeSpanExporter implements SpanExporter {

    /** Attribute keys that carry no PHI by construction. */
    static final Set<String> ALLOWED = Set.of(
            // HTTP server spans (Spring MVC's observation convention): route template, never the query.
            "method", "uri", "status", "outcome", "exception", "http.url",
            // Scheduled tasks.
            "code.function", "code.namespace",
            // Redis (Lettuce): the command's name and the server, never its arguments.
            "db.system", "db.operation", "net.sock.peer.addr", "net.sock.peer.port", "net.peer.name",
            "net.transport",
            // SQL (platform.db): statement text with placeholders, operation, SQLSTATE.
            "db.system.name", "db.operation.name", "db.query.text", "db.response.status_code", "error.type",
            // Transactions and jobs.
            "tx.name", "tx.read_only", "tx.outcome", "job.task");
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

    private final SpanExporter delegate;

    PhiSafeSpanExporter(SpanExporter delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> safe = new ArrayList<>(spans.size());
        for (SpanData span : spans) {
            safe.add(new Safe(span));
        }
        return delegate.export(safe);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    static Attributes allowed(Attributes attributes) {
        AttributesBuilder kept = Attributes.builder();
        boolean redis = "redis".equals(attributes.get(AttributeKey.stringKey("db.system")));
        attributes.forEach((key, value) -> {
            if (ALLOWED.contains(key.getKey()) && !(redis && key.getKey().startsWith("db.query"))) {
                putUnchecked(kept, key, value);
            }
        });
        return kept.build();
    }

    @SuppressWarnings("unchecked")
    private static void putUnchecked(AttributesBuilder builder, AttributeKey<?> key, Object value) {
        builder.put((AttributeKey<Object>) key, value);
    }

    /** A span as exported: allowed attributes, events by name (exceptions by class), status without text. */
    private static final class Safe extends DelegatingSpanData {

        private final Attributes attributes;
        private final List<EventData> events;
        private final List<LinkData> links;
        private final StatusData status;

        Safe(SpanData span) {
            super(span);
            this.attributes = allowed(span.getAttributes());
            this.events = new ArrayList<>(span.getEvents().size());
            for (EventData event : span.getEvents()) {
                String type = event.getAttributes().get(EXCEPTION_TYPE);
                events.add(EventData.create(event.getEpochNanos(), event.getName(),
                        type == null ? Attributes.empty() : Attributes.of(EXCEPTION_TYPE, type)));
            }
            this.links = new ArrayList<>(span.getLinks().size());
            for (LinkData link : span.getLinks()) {
                links.add(LinkData.create(link.getSpanContext()));
            }
            this.status = StatusData.create(span.getStatus().getStatusCode(), "");
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public int getTotalAttributeCount() {
            return attributes.size();
        }

        @Override
        public List<EventData> getEvents() {
            return events;
        }

        @Override
        public int getTotalRecordedEvents() {
            return events.size();
        }

        @Override
        public List<LinkData> getLinks() {
            return links;
        }

        @Override
        public int getTotalRecordedLinks() {
            return links.size();
        }

        @Override
        public StatusData getStatus() {
            return status;
        }
    }
}
