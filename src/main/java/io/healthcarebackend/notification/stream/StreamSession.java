package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.security.SessionLiveness;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Writes one stream, on a virtual thread of its own that lives as long as the stream and is
 * parked on the stream's queue in between (a shallow stack: the request's filters and handler
 * have long returned). In order:
 *
 * <ol>
 * <li>{@code reset} when the client's {@code Last-Event-ID} is older than what is kept (or
 * unknown): it reloads what it shows;</li>
 * <li>the events after its {@code Last-Event-ID}, oldest first;</li>
 * <li>{@code ready}, whose id is the clinic's head: a new client loads its data now and resumes
 * from there;</li>
 * <li>live events (any id not above the last one sent is skipped: the stream was registered
 * before its missed events were read, so an event can arrive both ways), a comment every
 * heartbeat, busy or not — when the session behind the token is also checked — and finally
 * {@code end} with the reason, at the latest when the access token expires.</li>
 * </ol>
 */
final class StreamSession implements Runnable {

    /** What the client waits before reconnecting (SSE {@code retry:}); clients add their own jitter. */
    static final long RECONNECT_MILLIS = 3_000;
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

    private final Subscriber subscriber;
    private final SseEmitter emitter;
    private final ClinicEvents.Resume resume;
    private final String transport;
    private final Instant expiresAt;
    private final StreamHub hub;
    private final SessionLiveness sessions;
    private final Duration heartbeat;
    private final Clock clock;
    /** The newest id the client has: {@link #open} sets it, {@link #run} moves it on. */
    private EventId lastSent;

    StreamSession(Subscriber subscriber, SseEmitter emitter, ClinicEvents.Resume resume, String transport,
            Instant expiresAt, StreamHub hub, SessionLiveness sessions, Duration heartbeat, Clock clock) {
        this.subscriber = subscriber;
        this.emitter = emitter;
        this.resume = resume;
        this.transport = transport;
        this.expiresAt = expiresAt;
        this.hub = hub;
        this.sessions = sessions;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    /**
     * The opening frames (reset, missed events, ready), sent on the request's thread before the
     * handler returns: Spring MVC holds them until it has set the stream up and then writes them
     * itself, so the response is committed on the request's thread. Were the first write left to
     * {@link #run}, it could commit the response while the request's thread is still in the
     * filters that set response headers (Spring Security's header writer) — two threads at Tomcat's
     * header table at once.
     */
    void open() throws IOException {
        EventId head = resume.head();
        if (resume.reset()) {
            emitter.send(SseEmitter.event().id(head.toString()).name("reset").data("{}", MediaType.APPLICATION_JSON));
        }
        for (ClinicEvents.Entry missed : resume.missed()) {
            send(missed);
        }
        emitter.send(SseEmitter.event().reconnectTime(RECONNECT_MILLIS).id(head.toString()).name("ready")
                .data("{\"transport\":\"" + transport + "\"}", MediaType.APPLICATION_JSON));
        lastSent = head;
    }

    /** The rest of the stream, on its own thread once {@link #open} has run. */
    @Override
    public void run() {
        try {
            EndReason reason = stream();
            if (reason != EndReason.CONNECTION_ERROR) {
                hub.ended(reason);
                emitter.send(SseEmitter.event().name("end").data("{\"reason\":\"" + reason + "\"}",
                        MediaType.APPLICATION_JSON));
            }
            emitter.complete();
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the container already ended the request: nothing to answer.
            complete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            complete();
        } catch (RuntimeException e) {
            log.warn("Event stream ended by an unexpected error: {}", e.getClass().getSimpleName());
            complete();
        } finally {
            hub.close(subscriber);
        }
    }

    private EndReason stream() throws IOException, InterruptedException {
        long beatNanos = heartbeat.toNanos();
        // The first beat at a random point of the interval: streams opened together (a deploy, a
        // Redis blip) do not all check their sessions in the same second afterwards.
        long nextBeat = System.nanoTime() + beatNanos / 2 + ThreadLocalRandom.current().nextLong(beatNanos / 2 + 1);
        while (true) {
            EndReason ended = subscriber.ended();
            if (ended != null) {
                return ended;
            }
            long untilExpiry = Duration.between(clock.instant(), expiresAt).toNanos();
            if (untilExpiry <= 0) {
                return EndReason.TOKEN_EXPIRED;
            }
            ClinicEvents.Entry next = subscriber.next(Math.min(nextBeat - System.nanoTime(), untilExpiry));
            if (next != null && next.id().isAfter(lastSent)) {
                send(next);
                lastSent = next.id();
            }
            // On its beat even while events flow: the session check must not wait for a quiet moment.
            if (System.nanoTime() - nextBeat >= 0) {
                EndReason dead = sessionProblem();
                if (dead != null) {
                    return dead;
                }
                emitter.send(SseEmitter.event().comment("heartbeat"));
                nextBeat = System.nanoTime() + beatNanos;
            }
        }
    }

    private void send(ClinicEvents.Entry entry) throws IOException {
        emitter.send(SseEmitter.event().id(entry.id().toString()).name(entry.type())
                .data(entry.json(), MediaType.APPLICATION_JSON));
    }

    /**
     * Whether the session behind the token still lives (logout, revocation, idle timeout end it).
     * Checked without the client's address: a heartbeat is not a use of the session from a network.
     */
    private EndReason sessionProblem() {
        try {
            return sessions.isActive(subscriber.user(), null) ? null : EndReason.SESSION_ENDED;
        } catch (RuntimeException e) {
            return EndReason.SESSION_UNVERIFIED;
        }
    }

    private void complete() {
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            // Already completed by the container.
        }
    }
}
