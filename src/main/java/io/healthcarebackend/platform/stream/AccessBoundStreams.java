package io.healthcarebackend.platform.stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.security.SessionLiveness;
import io.healthcarebackend.platform.security.SessionsEnded;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Ends every long-lived stream together with the access it was opened with, whichever stream it
 * is (the staff event stream, the /logger tail). Each open stream holds a {@link StreamLease}
 * that remembers its session, user, clinic, role and token expiry; the lease is ended
 *
 * <ul>
 * <li>by a timer when the access token expires ({@link StreamEnd#TOKEN_EXPIRED});</li>
 * <li>at once when identity ends the session on this instance ({@link SessionsEnded}: logout,
 * revocation by the user, an admin or the session limit, deactivation and role change, which end
 * every session of the user), and within milliseconds on every other instance through a Redis
 * channel ({@link SessionEndSignal});</li>
 * <li>when a periodic re-check ({@code app.streams.session-check}, one session-store call per
 * open session and interval, spread over it) finds the session gone: idle and absolute timeouts,
 * and signals lost while Redis was unreachable ({@link StreamEnd#SESSION_ENDED}, or
 * {@link StreamEnd#SESSION_UNVERIFIED} when the store cannot answer). After the channel is
 * re-established every session is re-checked within a few seconds.</li>
 * </ul>
 *
 * A session that ended recently is remembered for {@code app.streams.recently-ended}, so a stream
 * opened with its token in the moment another instance still honours it ends at once. It also
 * keeps each {@link StreamKind}'s cap of open streams per user on this instance.
 */
@Component
public class AccessBoundStreams implements SmartLifecycle {

    /** How often the re-check looks for sessions due; each session is due once per interval. */
    static final Duration TICK = Duration.ofMillis(500);
    /** After a lost channel, every session is re-checked within this. */
    static final Duration CATCH_UP = Duration.ofSeconds(3);
    static final int CONCURRENT_CHECKS = 32;
    private static final Logger log = LoggerFactory.getLogger(AccessBoundStreams.class);

    private final StreamLifetimeSettings settings;
    private final ObjectProvider<SessionLiveness> liveness;
    private final ObjectProvider<JwtDecoder> tokens;
    private final SessionEndSignal signal;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<UUID, SessionStreams> bySession = new ConcurrentHashMap<>();
    private final Map<PerUser, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Cache<UUID, Boolean> recentlyEnded;
    /** Replaced at each start: a stop shuts it down, and a context may be stopped and started again. */
    private volatile ScheduledThreadPoolExecutor timers;
    /** Session checks in flight at once: a slow session store must not pile up threads. */
    private final Semaphore checking = new Semaphore(CONCURRENT_CHECKS);
    private volatile boolean running;
    private Thread recheck;

    private record PerUser(String kind, UserId user) {
    }

    /** The streams of one session and when its session is checked next. */
    private static final class SessionStreams {
        final CurrentUser user;
        final Set<StreamLease> leases = ConcurrentHashMap.newKeySet();
        volatile long nextCheck;

        SessionStreams(CurrentUser user, long nextCheck) {
            this.user = user;
            this.nextCheck = nextCheck;
        }
    }

    AccessBoundStreams(StreamLifetimeSettings settings, ObjectProvider<SessionLiveness> liveness,
            ObjectProvider<JwtDecoder> tokens, SessionEndSignal signal, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.liveness = liveness;
        this.tokens = tokens;
        this.signal = signal;
        this.meters = meters;
        this.clock = clock;
        this.recentlyEnded = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.recentlyEnded())
                .build();
        this.timers = newTimers();
        Gauge.builder("healthcare.stream.leases", open, AtomicInteger::get)
                .description("Open streams bound to a session and token (event stream and /logger tail) here")
                .register(meters);
    }

    /**
     * Takes a place for a new stream of {@code user} (429 {@link StreamLimitReached} past the kind's
     * cap) and binds it to the session and to the expiry of the bearer token in
     * {@code authorization}, which the security filters have verified.
     */
    public StreamLease open(StreamKind kind, CurrentUser user, String authorization) {
        Instant expiresAt = expiryOf(authorization);
        PerUser key = new PerUser(kind.name(), user.id());
        boolean[] admitted = {false};
        perUser.compute(key, (k, held) -> {
            int count = held == null ? 0 : held;
            if (count >= kind.maxPerUser()) {
                return held;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            throw new StreamLimitReached(kind);
        }
        open.incrementAndGet();
        StreamLease lease = new StreamLease(this, kind, user, expiresAt);
        bySession.compute(user.sessionId(), (id, streams) -> {
            SessionStreams held = streams != null ? streams : new SessionStreams(user, firstCheck());
            held.leases.add(lease);
            return held;
        });
        long untilExpiry = Math.max(0, Duration.between(clock.instant(), expiresAt).toMillis());
        try {
            lease.expiry(timers.schedule(() -> lease.end(StreamEnd.TOKEN_EXPIRED), untilExpiry,
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException stopping) {
            lease.close();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "STREAMS_UNAVAILABLE",
                    "This instance is stopping; reconnect shortly");
        }
        // Registered first, then this look: a session ending meanwhile is seen one way or the other.
        if (recentlyEnded.getIfPresent(user.sessionId()) != null) {
            lease.end(StreamEnd.SESSION_ENDED);
        }
        return lease;
    }

    /** Sessions identity ended on this instance: their streams end here now, elsewhere through Redis. */
    @EventListener
    void on(SessionsEnded ended) {
        endSessions(ended.sessionIds());
        signal.publish(ended.sessionIds());
    }

    /** Sessions ended on this instance or (through {@link SessionEndSignal}) on another one. */
    void endSessions(Collection<UUID> sessionIds) {
        for (UUID id : sessionIds) {
            recentlyEnded.put(id, Boolean.TRUE);
            end(id, StreamEnd.SESSION_ENDED);
        }
    }

    /** Signals may have been lost while the channel was down: re-check every session soon. */
    void catchUp() {
        long now = System.nanoTime();
        bySession.values().forEach(s -> s.nextCheck = now + jitter(CATCH_UP));
    }

    int openStreams() {
        return open.get();
    }

    void release(StreamLease lease) {
        CurrentUser user = lease.user();
        bySession.computeIfPresent(user.sessionId(), (id, streams) -> {
            streams.leases.remove(lease);
            return streams.leases.isEmpty() ? null : streams;
        });
        perUser.computeIfPresent(new PerUser(lease.kind().name(), user.id()), (k, held) -> held <= 1 ? null : held - 1);
        open.decrementAndGet();
    }

    void counted(StreamKind kind, StreamEnd reason) {
        meters.counter("healthcare.stream.access.ended", "kind", kind.name(), "reason", reason.name()).increment();
    }

    private void end(UUID sessionId, StreamEnd reason) {
        SessionStreams streams = bySession.get(sessionId);
        if (streams != null) {
            streams.leases.forEach(lease -> lease.end(reason));
        }
    }

    private void recheckLoop() {
        while (running) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = System.nanoTime();
            for (Map.Entry<UUID, SessionStreams> due : bySession.entrySet()) {
                SessionStreams streams = due.getValue();
                if (running && now - streams.nextCheck >= 0) {
                    streams.nextCheck = now + settings.sessionCheck().toNanos();
                    if (!checking.tryAcquire()) {
                        // As many checks in flight as allowed (a slow store): this one waits a tick.
                        streams.nextCheck = now + TICK.toNanos();
                        continue;
                    }
                    Thread.ofVirtual().name("stream-session-check").start(() -> {
                        try {
                            check(due.getKey(), streams);
                        } finally {
                            checking.release();
                        }
                    });
                }
            }
        }
    }

    /** Without the client's address: a re-check is not a use of the session from a network. */
    private void check(UUID sessionId, SessionStreams streams) {
        try {
            if (!liveness.getObject().isActive(streams.user, null)) {
                end(sessionId, StreamEnd.SESSION_ENDED);
            }
        } catch (RuntimeException e) {
            log.debug("Session of a stream could not be checked: {}", e.getClass().getSimpleName());
            end(sessionId, StreamEnd.SESSION_UNVERIFIED);
        }
    }

    /** Streams opened together (a deploy, a reconnect wave) are checked spread over the interval. */
    private long firstCheck() {
        return System.nanoTime() + jitter(settings.sessionCheck());
    }

    private static ScheduledThreadPoolExecutor newTimers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("stream-lifetimes").factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    private static long jitter(Duration within) {
        return ThreadLocalRandom.current().nextLong(within.toNanos() / 2, within.toNanos() + 1);
    }

    private Instant expiryOf(String authorization) {
        try {
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Instant expiresAt = tokens.getObject().decode(authorization.substring(7).strip()).getExpiresAt();
                if (expiresAt != null) {
                    return expiresAt;
                }
            }
        } catch (JwtException e) {
            // Falls through to the refusal below.
        }
        throw new ApiException.Unauthorized("UNAUTHORIZED", "A valid access token is required");
    }

    @Override
    public void start() {
        if (timers.isShutdown()) {
            timers = newTimers();
        }
        running = true;
        recheck = Thread.ofVirtual().name("stream-session-recheck").start(this::recheckLoop);
        signal.start(this::endSessions, this::catchUp);
    }

    @Override
    public void stop() {
        running = false;
        if (recheck != null) {
            recheck.interrupt();
        }
        timers.shutdownNow();
        signal.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the streams' own hubs (which end their streams for the shutdown). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1024;
    }
}
