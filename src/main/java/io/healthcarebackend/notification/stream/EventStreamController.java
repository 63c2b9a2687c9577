package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.stream.StreamLimitReached;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events/stream}: the clinic's appointment changes as server-sent events, for
 * the staff screens of the clinic in the caller's token (README "Real-time updates").
 *
 * <p>The handler registers the stream, reads what the client missed, and returns an
 * {@link SseEmitter} (Servlet async): the request's thread and every filter are done at once — the
 * request's time budget (HTTP_REQUEST_TIMEOUT), tenancy scope, rate limit and summary apply to the
 * opening, not to the hours the stream may stay open. The opening frames are handed to the
 * emitter here, so Spring commits the response on this thread; a {@link StreamSession} on a
 * virtual thread writes the rest. The stream ends with its user's access — token expiry, the end of
 * its session on any instance (logout, revocation, session limit, deactivation, role change) —
 * through its lease ({@link io.healthcarebackend.platform.stream.AccessBoundStreams}, shared with
 * the /logger tail). The emitter's own timeout (the token's remaining life plus a margin, so
 * neither Spring MVC's nor Tomcat's default async timeout applies) is only a backstop.
 */
@RestController
class EventStreamController {

    static final String STAFF = "hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')";
    private static final Duration BACKSTOP = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);

    private final StreamHub hub;
    private final ClinicEvents events;
    private final StreamSettings settings;
    private final Clock clock;

    EventStreamController(StreamHub hub, ClinicEvents events, StreamSettings settings, Clock clock) {
        this.hub = hub;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/v1/events/stream")
    @PreAuthorize(STAFF)
    SseEmitter stream(@AuthenticationPrincipal CurrentUser user,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization, HttpServletResponse response) {
        Subscriber subscriber;
        try {
            subscriber = hub.open(user, authorization);
        } catch (StreamRefused refused) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(refused.retryAfterSeconds()));
            throw refused;
        } catch (StreamLimitReached refused) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(refused.retryAfterSeconds()));
            throw refused;
        }
        ClinicEvents.Resume resume;
        try {
            resume = resume(user, lastEventId);
        } catch (RuntimeException e) {
            hub.close(subscriber);
            log.warn("Event stream not opened, the clinic's event log is unreadable: {}", e.getClass().getSimpleName());
            StreamRefused refused = StreamRefused.unavailable();
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(refused.retryAfterSeconds()));
            throw refused;
        }
        Duration left = Duration.between(clock.instant(), subscriber.lease().expiresAt());
        SseEmitter emitter = new SseEmitter(Math.max(1, left.plus(BACKSTOP).toMillis()));
        emitter.onTimeout(() -> subscriber.end(EndReason.CONNECTION_ERROR));
        emitter.onError(e -> subscriber.end(EndReason.CONNECTION_ERROR));
        emitter.onCompletion(() -> subscriber.end(EndReason.CONNECTION_ERROR));
        // Proxies such as nginx would otherwise buffer the stream.
        response.setHeader("X-Accel-Buffering", "no");
        StreamSession session = new StreamSession(subscriber, emitter, resume, events.transport(), hub,
                settings.heartbeat());
        try {
            session.open();
        } catch (IOException e) {
            // Not written yet (Spring holds the opening until the handler returns), so not expected.
            hub.close(subscriber);
            throw StreamRefused.unavailable();
        }
        Thread.ofVirtual().name("event-stream").inheritInheritableThreadLocals(false).start(session);
        return emitter;
    }

    /**
     * A header that is not an id this service handed out (garbled, or of another deployment) is
     * answered like one too old to resume from: with a reset.
     */
    private ClinicEvents.Resume resume(CurrentUser user, String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return events.resume(user.clinic(), null);
        }
        Optional<EventId> after = EventId.parse(lastEventId.strip());
        if (after.isEmpty()) {
            return ClinicEvents.Resume.reset(events.resume(user.clinic(), null).head());
        }
        return events.resume(user.clinic(), after.get());
    }
}
