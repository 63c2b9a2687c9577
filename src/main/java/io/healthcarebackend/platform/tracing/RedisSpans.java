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
 * Spans for the application's Redis commands, only inside a trace: a command issued while a request,
 * transaction or job is observed gets a span under it; one issued with nothing observed (the live
 * tail's blocking reads, pub/sub, background clean-ups) gets none, instead of a trace of its own per
 * command. Never the command's arguments: Lettuce's convention is asked without them (keys and values
 * may hold PHI), and {@link PhiSafeSpanExporter} drops them should anything add them anyway.
 */
final class RedisSpans implements Tracing {

    private final MicrometerTracing delegate;
    private final Tracer tracer;

    RedisSpans(ObservationRegistry observations) {
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

    /** The observation current where the command is issued; null when none (then no span). */
    @Override
    public TraceContextProvider initialTraceContextProvider() {
        return delegate.initialTraceContextProvider();
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
