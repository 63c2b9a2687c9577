package io.healthcarebackend.audit.dashboard;

import io.healthcarebackend.platform.config.RuntimeSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * The live tail's hub. Request threads and the log appender {@link #publish} into a bounded outbox
 * and return at once; one pump thread forwards the outbox either to the Redis stream (shared by
 * every instance) or, without Redis, straight to this instance's viewers. With Redis, one reader
 * thread per instance follows the stream and fans out to the local viewers, so every dashboard
 * sees the events of every instance. The last {@value #RECENT} events stay in memory for the
 * backlog a new viewer gets and for resuming with {@code Last-Event-ID}.
 */
@Component
class LiveFeed implements SmartLifecycle {

    static final int OUTBOX = 10_000;
    static final int RECENT = 1_000;
    static final int BACKLOG = 100;
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final String instance;
    private final BlockingQueue<LiveEvent> outbox = new ArrayBlockingQueue<>(OUTBOX);
    private final Deque<Delivered> recent = new ArrayDeque<>(RECENT);
    private final Set<Subscription> viewers = ConcurrentHashMap.newKeySet();
    private final AtomicLong localIds = new AtomicLong();
    private final RedisEventStream stream;
    private final Counter droppedOutbox;
    private final Counter droppedTransport;
    private final Counter droppedViewer;
    private volatile boolean running;
    private volatile boolean watchedElsewhere;
    private Thread pump;
    private Thread reader;
    private Thread watch;

    LiveFeed(ObjectProvider<RedisConnectionFactory> redis, RuntimeSettings settings, MeterRegistry meters) {
        this.instance = hostName() + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        RedisConnectionFactory factory = settings.redisEnabled() ? redis.getIfAvailable() : null;
        this.stream = factory == null ? null
                : new RedisEventStream(factory, settings.redis().keyPrefix() + "logger:events");
        this.droppedOutbox = dropped(meters, "outbox");
        this.droppedTransport = dropped(meters, "transport");
        this.droppedViewer = dropped(meters, "viewer");
    }

    private static Counter dropped(MeterRegistry meters, String where) {
        return Counter.builder("healthcare.logger.events.dropped")
                .description("Live-tail events dropped instead of slowing the service down").tag("where", where)
                .register(meters);
    }

    String instance() {
        return instance;
    }

    boolean usesRedis() {
        return stream != null;
    }

    /**
     * Whether request summaries are worth publishing: only while a dashboard is open here or on
     * another instance. Each request would otherwise cost a Redis append (and its JSON) for no
     * one; WARN/ERROR events are rare and always published, so a new viewer still sees them.
     */
    boolean summariesWanted() {
        return !viewers.isEmpty() || watchedElsewhere;
    }

    /** Never blocks and never throws: when the outbox is full the event is dropped and counted. */
    void publish(LiveEvent event) {
        if (!outbox.offer(event)) {
            droppedOutbox.increment();
        }
    }

    /**
     * Registers a viewer and hands it, atomically with registration (no gap, no duplicate), the
     * events it missed: those after {@code lastEventId}, or the latest {@value #BACKLOG} it may see.
     */
    Subscription subscribe(String clinic, String lastEventId) {
        Subscription viewer = new Subscription(clinic);
        synchronized (recent) {
            List<Delivered> visible = recent.stream().filter(viewer::visible).toList();
            int from = Math.max(0, visible.size() - BACKLOG);
            if (lastEventId != null) {
                for (int i = visible.size() - 1; i >= 0; i--) {
                    if (visible.get(i).id().equals(lastEventId)) {
                        from = i + 1;
                        break;
                    }
                }
            }
            visible.subList(from, visible.size()).forEach(viewer::offer);
            viewers.add(viewer);
        }
        if (stream != null) {
            try {
                stream.markWatched();
            } catch (RuntimeException e) {
                log.debug("Live-tail watch mark failed: {}", e.getClass().getSimpleName());
            }
        }
        return viewer;
    }

    void unsubscribe(Subscription viewer) {
        viewers.remove(viewer);
    }

    /** An event has arrived (from the stream, or locally): remember it and pass it to the viewers. */
    void deliver(Delivered delivered) {
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(delivered);
            for (Subscription viewer : viewers) {
                if (!viewer.offer(delivered)) {
                    droppedViewer.increment();
                }
            }
        }
    }

    private void pump() {
        List<LiveEvent> batch = new ArrayList<>();
        while (running) {
            try {
                LiveEvent first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, 499);
                if (stream == null) {
                    batch.forEach(e -> deliver(new Delivered(Long.toString(localIds.incrementAndGet()), e)));
                } else {
                    int sent = stream.append(batch);
                    droppedTransport.increment(batch.size() - sent);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Only this package's own logger: the appender ignores it, so no feedback loop.
                droppedTransport.increment(batch.size());
                log.debug("Live-tail publish failed: {}", e.getClass().getSimpleName());
            } finally {
                batch.clear();
            }
        }
    }

    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration WATCH_POLL = Duration.ofMillis(250);

    /** Keeps the cluster-wide "someone is watching" mark fresh while this instance has viewers, and reads it. */
    private void watch() {
        while (running) {
            try {
                if (!viewers.isEmpty()) {
                    stream.markWatched();
                }
                watchedElsewhere = stream.isWatched();
            } catch (RuntimeException e) {
                watchedElsewhere = false;
                log.debug("Live-tail watch check failed: {}", e.getClass().getSimpleName());
            }
            if (!pause(WATCH_POLL)) {
                return;
            }
        }
    }

    private void follow() {
        String last = null;
        while (running) {
            try {
                if (last == null) {
                    last = stream.replayTail(RECENT, this::deliver);
                }
                if (viewers.isEmpty()) {
                    // Nobody watches here: reading and decoding every event of every instance would
                    // cost CPU on the hot path's cores for nothing. A viewer who arrives is caught up
                    // from the same position (the stream keeps the last ~10,000 events).
                    if (!pause(IDLE_POLL)) {
                        return;
                    }
                    continue;
                }
                last = stream.readAfter(last, Duration.ofSeconds(1), this::deliver);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.debug("Live-tail stream read failed: {}", e.getClass().getSimpleName());
                stream.reconnect();
                if (!pause(Duration.ofSeconds(1))) {
                    return;
                }
            }
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void start() {
        running = true;
        pump = Thread.ofVirtual().name("logger-pump").start(this::pump);
        if (stream != null) {
            reader = Thread.ofVirtual().name("logger-stream-reader").start(this::follow);
            watch = Thread.ofVirtual().name("logger-watch").start(this::watch);
        }
    }

    @Override
    public void stop() {
        running = false;
        // Open streams would otherwise hold up graceful shutdown until its timeout; the browser
        // reconnects, to another instance behind a load balancer.
        viewers.forEach(Subscription::close);
        viewers.clear();
        if (pump != null) {
            pump.interrupt();
        }
        if (reader != null) {
            reader.interrupt();
        }
        if (watch != null) {
            watch.interrupt();
        }
        if (stream != null) {
            stream.close();
        }
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

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }
}
