package io.healthcarebackend.notification.stream;

import java.io.IOException;
import java.time.Duration;
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
 * heartbeat, and finally {@code end} with the reason — at the latest when the access token
 * expires, and as soon as its session ends (the stream's lease, see
 * {@link io.healthcarebackend.platform.stream.AccessBoundStreams}).</li>
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
    private final StreamHub hub;
    private final Duration heartbeat;
    /** The newest id the client has: {@link #open} sets it, {@link #run} moves it on. */
    private EventId lastSent;

    StreamSession(Subscriber subscriber, SseEmitter emitter, ClinicEvents.Resume resume, String transport,
            StreamHub hub, Duration heartbeat) {
        this.subscriber = subscriber;
        this.emitter = emitter;
        this.resume = resume;
        this.transport = transport;
        this.hub = hub;
        this.heartbeat = heartbeat;
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
        long nextBeat = System.nanoTime() + beatNanos;
        while (true) {
            EndReason ended = subscriber.ended();
            if (ended != null) {
                return ended;
            }
            ClinicEvents.Entry next = subscriber.next(nextBeat - System.nanoTime());
            if (next != null && next.id().isAfter(lastSent)) {
                send(next);
                lastSent = next.id();
            }
            // On its beat even while events flow.
            if (System.nanoTime() - nextBeat >= 0) {
                emitter.send(SseEmitter.event().comment("heartbeat"));
                nextBeat = System.nanoTime() + beatNanos;
            }
        }
    }

    private void send(ClinicEvents.Entry entry) throws IOException {
        emitter.send(SseEmitter.event().id(entry.id().toString()).name(entry.type())
                .data(entry.json(), MediaType.APPLICATION_JSON));
    }

    private void complete() {
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            // Already completed by the container.
        }
    }
}
