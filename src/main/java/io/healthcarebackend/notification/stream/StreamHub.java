package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.stream.AccessBoundStreams;
import io.healthcarebackend.platform.stream.StreamKind;
import io.healthcarebackend.platform.stream.StreamLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's open streams, by clinic: takes the events {@link ClinicEvents} hears and hands
 * each to the streams of its clinic (without blocking: every stream has its own bounded queue and
 * thread), and keeps the caps — {@code maxConnections} per instance, {@code maxPerUser} per user
 * (the latter, and the end of every stream with its session and token, through
 * {@link AccessBoundStreams}, which the /logger tail shares).
 *
 * <p>An open stream holds its Servlet request and connection, about 140 KiB of heap, nearly all of
 * it Tomcat's per-request buffers (docs/benchmarks.md, "Real-time event streams"). So the instance
 * cap is also bounded by the heap: open streams may take at most half of it. An instance at its
 * cap answers 503 and the client tries again (elsewhere, behind a load balancer); an instance out
 * of memory would drop every stream at once.
 */
@Component
class StreamHub implements SmartLifecycle {

    /** Heap per open stream, measured with 10,000 streams plus a margin. */
    static final long HEAP_PER_STREAM = 150 * 1024;
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final AccessBoundStreams lifetimes;
    private final StreamKind kind;
    private final int maxConnections;
    private final Map<ClinicId, Set<Subscriber>> byClinic = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<EndReason, Counter> ends = new EnumMap<>(EndReason.class);
    private volatile boolean running;

    StreamHub(StreamSettings settings, AccessBoundStreams lifetimes, MeterRegistry meters) {
        this.lifetimes = lifetimes;
        this.kind = new StreamKind("events", settings.maxPerUser(), StreamRefused.PER_USER);
        long affordable = Runtime.getRuntime().maxMemory() / 2 / HEAP_PER_STREAM;
        this.maxConnections = (int) Math.min(settings.maxConnections(), affordable);
        if (maxConnections < settings.maxConnections()) {
            log.warn("EVENTS_STREAM_MAX_CONNECTIONS is {} but half of this JVM's heap ({} MiB) holds about {} "
                    + "event streams: capped at {}; give the JVM more heap to allow more",
                    settings.maxConnections(), Runtime.getRuntime().maxMemory() / 1_048_576, affordable, maxConnections);
        }
        Gauge.builder("healthcare.event.stream.connections", open, AtomicInteger::get)
                .description("Open real-time event streams (GET /api/v1/events/stream) on this instance")
                .register(meters);
        for (EndReason reason : EndReason.values()) {
            ends.put(reason, Counter.builder("healthcare.event.stream.ended")
                    .description("Event streams the service ended, by reason (client disconnects are not counted)")
                    .tag("reason", reason.name()).register(meters));
        }
    }

    /**
     * Takes a place for the user's new stream, binds it to the session and expiry of the token in
     * {@code authorization} (429 past the user's cap), and registers it, so that it receives every
     * event from now on (before its missed events are read: see {@link StreamSession}).
     */
    Subscriber open(CurrentUser user, String authorization) {
        if (!running) {
            throw StreamRefused.atCapacity();
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            throw StreamRefused.atCapacity();
        }
        StreamLease lease;
        try {
            lease = lifetimes.open(kind, user, authorization);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        Subscriber subscriber = new Subscriber(lease);
        byClinic.compute(subscriber.clinic(), (clinic, streams) -> {
            Set<Subscriber> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            set.add(subscriber);
            return set;
        });
        lease.whenEnded(reason -> subscriber.end(EndReason.of(reason)));
        return subscriber;
    }

    /** Unregisters the stream and gives its place back; safe to call more than once. */
    void close(Subscriber subscriber) {
        if (!subscriber.markClosed()) {
            return;
        }
        byClinic.computeIfPresent(subscriber.clinic(), (clinic, streams) -> {
            streams.remove(subscriber);
            return streams.isEmpty() ? null : streams;
        });
        subscriber.lease().close();
        open.decrementAndGet();
    }

    /** An event of the clinic, from whichever instance: to every stream of the clinic open here. */
    void dispatch(ClinicId clinic, ClinicEvents.Entry entry) {
        Set<Subscriber> streams = byClinic.get(clinic);
        if (streams != null) {
            streams.forEach(s -> s.offer(entry));
        }
    }

    /** Ends every open stream (each client reconnects and resumes from its last id). */
    void endAll(EndReason reason) {
        byClinic.values().forEach(streams -> streams.forEach(s -> s.end(reason)));
    }

    void ended(EndReason reason) {
        ends.get(reason).increment();
    }

    int openStreams() {
        return open.get();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Open streams would otherwise hold up the web server's graceful shutdown until its timeout;
     * the clients reconnect, to another instance behind the load balancer.
     */
    @Override
    public void stop() {
        running = false;
        endAll(EndReason.SHUTDOWN);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (which waits for open requests, like streams). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 512;
    }
}
