package io.healthcarebackend.audit.dashboard;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
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
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Resource PAGE = new ClassPathResource("logger/index.html");

    record Viewer(String role, String clinicId, String scope, String instance, String transport) {
    }

    record Routes(List<RouteLatency.Route> routes) {
    }

    private final LiveFeed feed;
    private final RouteLatency latency;

    LoggerController(LiveFeed feed, RouteLatency latency) {
        this.feed = feed;
        this.latency = latency;
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
     * (EventSource cannot send one, and tokens never go into URLs).
     */
    @GetMapping("/logger/api/stream")
    @PreAuthorize(VIEWERS)
    void stream(@AuthenticationPrincipal CurrentUser user,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        Subscription viewer = feed.subscribe(clinicOf(user), lastEventId);
        try {
            OutputStream out = response.getOutputStream();
            write(out, "retry: 2000\n: connected to " + feed.instance() + "\n\n");
            while (true) {
                Delivered next = viewer.next(HEARTBEAT);
                if (next == null) {
                    write(out, ": heartbeat\n\n");
                } else if (Subscription.isClose(next)) {
                    return;
                } else {
                    write(out, "id: " + next.id() + "\nevent: " + next.event().kind() + "\ndata: "
                            + JSON.writeValueAsString(next.event()) + "\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The viewer went away; nothing to answer.
        } finally {
            feed.unsubscribe(viewer);
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
