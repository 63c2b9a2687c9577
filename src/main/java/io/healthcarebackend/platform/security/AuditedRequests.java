package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Reports a refused or failed request of a signed-in user to {@link RequestAudit}, if a module
 * provides one, describing it by its route template and target id only. The one place both the
 * MVC error handler and the security filter chain go through, so every refusal is reported alike.
 */
@Component
public class AuditedRequests {

    private final ObjectProvider<RequestAudit> audit;

    AuditedRequests(ObjectProvider<RequestAudit> audit) {
        this.audit = audit;
    }

    /** A 403. Throws the recorder's {@link io.healthcarebackend.platform.ApiException} when it cannot record. */
    public void denied(HttpServletRequest request) {
        RequestAudit target = audit.getIfAvailable();
        CurrentUser user = signedIn();
        if (target != null && user != null) {
            target.denied(user, route(request), targetId(request));
        }
    }

    /** Any other failure; same contract as {@link #denied}. */
    public void failed(HttpServletRequest request, int status, String code) {
        RequestAudit target = audit.getIfAvailable();
        CurrentUser user = signedIn();
        if (target != null && user != null) {
            target.failed(user, request.getMethod(), route(request), targetId(request), status, code);
        }
    }

    private static CurrentUser signedIn() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof CurrentUser user ? user : null;
    }

    /** The matched pattern (set by Spring MVC once a handler is chosen), never the request URI. */
    static String route(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return pattern == null ? null : request.getMethod() + " " + pattern;
    }

    static UUID targetId(HttpServletRequest request) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                && variables.get("id") instanceof String id) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
