package io.healthcarebackend.audit.dashboard;

import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.stream.AccessBoundStreams;
import io.healthcarebackend.platform.stream.StreamKind;
import io.healthcarebackend.platform.stream.StreamLease;
import io.healthcarebackend.platform.stream.StreamLimitReached;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /logger} dashboard. The page itself is public and holds no data (a browser navigation
 * cannot carry a bearer token); everything it shows comes from the token-protected APIs below and
 * from {@code /api/v1/audit-events}. Clinic administrators and compliance officers see their own
 * clinic's events, platform administrators the platform's (events without a clinic); other roles
 * are refused.
 */
@RestController
class LoggerController {

    static final String VIEWERS = "hasAnyRole('PLATFORM_ADMIN', 'CLINIC_ADMIN', 'COMPLIANCE_OFFICER')";
    /** No inline script or style, nothing from elsewhere, no framing: the page only talks to this origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** The problem code past {@code app.logger.stream-max-per-user}. */
    static final String PER_USER = "LOGGER_STREAMS_PER_USER_EXCEEDED";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Resource PAGE = new ClassPathResource("logger/index.html");

    record Viewer(String role, String clinicId, String scope, String instance, String transport) {
    }

    record Routes(List<RouteLatency.Route> routes) {
    }

    private final LiveFeed feed;
    private final RouteLatency latency;
    private final AccessBoundStreams streams;
    private final StreamKind kind;
    private final Duration heartbeat;

    LoggerController(LiveFeed feed, RouteLatency latency, AccessBoundStreams streams, LoggerStreamSettings settings) {
        this.feed = feed;
        this.latency = latency;
        this.streams = streams;
        this.kind = new StreamKind("logger", settings.streamMaxPerUser(), PER_USER);
        this.heartbeat = settings.streamHeartbeat();
    }

    @GetMapping("/logger")
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer").body(PAGE);
    }

    @GetMapping("/logger/api/me")
    @PreAuthorize(VIEWERS)
    Viewer me(@AuthenticationPrincipal CurrentUser user) {
        return new Viewer(user.role().name(), clinicOf(user), user.clinicId() == null ? "platform" : "clinic",
                feed.instance(), feed.usesRedis() ? "redis-stream" : "in-process");
    }

    @GetMapping("/logger/api/routes")
    @PreAuthorize(VIEWERS)
    Routes routes() {
        // Route latency carries no clinic data (no ids, no PHI), so every viewer sees all routes.
        return new Routes(latency.routes());
    }

    /**
     * Server-sent events on a plain blocking loop: requests run on virtual threads, so a long-lived
     * stream costs a parked virtual thread, not a pooled one. Read with fetch() and a bearer header
     * (EventSource cannot send one, and tokens never go into URLs). At most
     * {@code app.logger.stream-max-per-user} per user and instance (429 past it); the stream ends
     * with its user's access — token expiry, the end of its session on any instance — with a last
     * {@code end} event naming the reason ({@link AccessBoundStreams}, shared with the staff event
     * stream).
     */
    @GetMapping("/logger/api/stream")
    @PreAuthorize(VIEWERS)
    void stream(@AuthenticationPrincipal CurrentUser user,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            HttpServletResponse response) throws IOException {
        StreamLease lease;
        try {
            lease = streams.open(kind, user, authorization);
        } catch (StreamLimitReached refused) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(refused.retryAfterSeconds()));
            throw refused;
        }
        try (lease) {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no");
            Subscription viewer = feed.subscribe(clinicOf(user), lastEventId);
            lease.whenEnded(reason -> viewer.end(reason.name()));
            try {
                tail(viewer, response.getOutputStream());
            } finally {
                feed.unsubscribe(viewer);
            }
        }
    }

    private void tail(Subscription viewer, OutputStream out) {
        try {
            write(out, "retry: 2000\n: connected to " + feed.instance() + "\n\n");
            while (true) {
                Delivered next = viewer.ended() != null ? null : viewer.next(heartbeat);
                if (viewer.ended() != null || Subscription.isClose(next)) {
                    write(out, "event: end\ndata: {\"reason\":\"" + viewer.ended() + "\"}\n\n");
                    return;
                } else if (next == null) {
                    write(out, ": heartbeat\n\n");
                } else {
                    write(out, "id: " + next.id() + "\nevent: " + next.event().kind() + "\ndata: "
                            + JSON.writeValueAsString(next.event()) + "\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The viewer went away; nothing to answer.
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String clinicOf(CurrentUser user) {
        return user.clinicId() == null ? null : user.clinicId().toString();
    }
}
