package io.healthcarebackend.platform.tracing;

import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.tracing.MicrometerTracing;
import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import io.micrometer.observation.ObservationRegistry;
import java.net.SocketAddress;

/**
 * Spans for the application's Redis commands, only inside a sampled trace: a command issued while a
 * recorded request, transaction or job is observed gets a span under it; one issued with nothing observed (the live
 * tail's blocking reads, pub/sub, background clean-ups) gets none, instead of a trace of its own per
 * command. Never the command's arguments: Lettuce's convention is asked without them (keys and values
 * may hold PHI), and {@link PhiSafeSpanExporter} drops them should anything add them anyway.
 */
final class RedisSpans implements Tracing {

    private final MicrometerTracing delegate;
    private final Tracer tracer;
    private final io.micrometer.tracing.Tracer spans;

    RedisSpans(ObservationRegistry observations, io.micrometer.tracing.Tracer spans) {
        this.spans = spans;
        this.delegate = new MicrometerTracing(observations, "redis", false);
        Tracer inner = delegate.getTracerProvider().getTracer();
        this.tracer = new Tracer() {
            @Override
            public Span nextSpan() {
                return NoSpan.INSTANCE;
            }

            @Override
            public Span nextSpan(TraceContext context) {
                return context == null ? NoSpan.INSTANCE : inner.nextSpan(context);
            }
        };
    }

    @Override
    public TracerProvider getTracerProvider() {
        return () -> tracer;
    }

    /**
     * The observation current where the command is issued, when its trace is sampled; null when
     * none or unsampled (then no span: an observation per command of a trace that is not recorded
     * would be work thrown away, on every request of the nine in ten that are not sampled).
     */
    @Override
    public TraceContextProvider initialTraceContextProvider() {
        TraceContextProvider current = delegate.initialTraceContextProvider();
        return () -> {
            io.micrometer.tracing.Span span = spans.currentSpan();
            return span == null || span.isNoop() ? null : current.getTraceContext();
        };
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public boolean includeCommandArgsInSpanTags() {
        return false;
    }

    @Override
    public Endpoint createEndpoint(SocketAddress socketAddress) {
        return delegate.createEndpoint(socketAddress);
    }

    private static final class NoSpan extends Tracer.Span {

        static final NoSpan INSTANCE = new NoSpan();

        @Override
        public Tracer.Span start(RedisCommand<?, ?, ?> command) {
            return this;
        }

        @Override
        public Tracer.Span name(String name) {
            return this;
        }

        @Override
        public Tracer.Span annotate(String value) {
            return this;
        }

        @Override
        public Tracer.Span tag(String key, String value) {
            return this;
        }

        @Override
        public Tracer.Span error(Throwable throwable) {
            return this;
        }

        @Override
        public Tracer.Span remoteEndpoint(Endpoint endpoint) {
            return this;
        }

        @Override
        public void finish() {
        }
    }
}
