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
 * Reports a refused request to {@link AccessDenials}, if a module provides one, describing it by
 * its route template and target id only. The one place both the MVC error handler and the security
 * filter chain go through, so every 403 is reported the same way.
 */
@Component
public class DeniedRequests {

    private final ObjectProvider<AccessDenials> denials;

    DeniedRequests(ObjectProvider<AccessDenials> denials) {
        this.denials = denials;
    }

    /** Throws the recorder's {@link io.healthcarebackend.platform.ApiException} when it cannot record. */
    public void report(HttpServletRequest request) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof CurrentUser user)) {
            return;
        }
        AccessDenials target = denials.getIfAvailable();
        if (target != null) {
            target.denied(user, route(request), targetId(request));
        }
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
