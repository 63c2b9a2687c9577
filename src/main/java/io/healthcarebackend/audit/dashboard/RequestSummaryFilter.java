package io.healthcarebackend.audit.dashboard;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Puts a summary of every request on the live tail: method, route template, status, duration,
 * clinic, user and trace id. Never the raw path — paths carry ids and query strings can carry
 * names — only the route template Spring MVC matched, or {@value #UNMATCHED}.
 *
 * <p>It runs outside the security filters (right after the trace id is set), so it also sees the
 * 401s and 403s they answer themselves; the user is read from the request attribute where the
 * bearer-token filter leaves the security context. The dashboard's own requests are skipped, or
 * every viewer would watch its own stream and polls.
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSummaryFilter extends OncePerRequestFilter {

    static final String UNMATCHED = "UNMATCHED";
    private static final String SECURITY_CONTEXT = RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME;

    private final LiveFeed feed;
    private final HandlerMapping routes;

    RequestSummaryFilter(LiveFeed feed, @Qualifier("requestMappingHandlerMapping") HandlerMapping routes) {
        this.feed = feed;
        this.routes = routes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/logger") || path.startsWith("/logger/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            try {
                record(request, failed ? 500 : response.getStatus(), (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                // The tail is best effort: it must never turn a served request into a failed one.
            }
        }
    }

    private void record(HttpServletRequest request, int status, long millis) {
        if (!feed.summariesWanted()) {
            return;
        }
        CurrentUser user = userOf(request);
        feed.publish(LiveEvent.request(Instant.now(), feed.instance(),
                user == null || user.clinicId() == null ? null : user.clinicId().toString(),
                user == null ? null : user.id().toString(), MDC.get("trace.id"), request.getMethod(),
                routeOf(request, status), status, millis));
    }

    private String routeOf(HttpServletRequest request, int status) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null && (status == 401 || status == 403)) {
            // Refused by the security filters before Spring MVC ran: look the route up now, so a
            // 401 on /api/v1/patients/{id} reads as that route rather than as unmatched.
            try {
                routes.getHandler(request);
                pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            } catch (Exception e) {
                pattern = null;
            }
        }
        // "/**" is the static-resource catch-all: no route of the API matched.
        return pattern == null || "/**".equals(pattern) ? UNMATCHED : pattern.toString();
    }

    private static CurrentUser userOf(HttpServletRequest request) {
        if (request.getAttribute(SECURITY_CONTEXT) instanceof SecurityContext context) {
            Authentication auth = context.getAuthentication();
            if (auth != null && auth.getPrincipal() instanceof CurrentUser user) {
                return user;
            }
        }
        return null;
    }
}
