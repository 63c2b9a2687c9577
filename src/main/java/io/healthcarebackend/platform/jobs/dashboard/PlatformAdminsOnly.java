package io.healthcarebackend.platform.jobs.dashboard;

import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Everything under {@code /queue-dashboard/} but the page and its files is for platform
 * administrators — db-scheduler-ui's API (whose controllers cannot carry {@code @PreAuthorize}),
 * our summary and any path added later. Checked here, once Spring MVC has matched the request,
 * rather than by path in the security filter chain, so that a refusal goes through the same
 * handler as a method-security one and is audited with its route template. Callers without a
 * token never get here (401 from the filter chain).
 */
final class PlatformAdminsOnly implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof CurrentUser user && user.is(Role.PLATFORM_ADMIN)) {
            return true;
        }
        throw new AccessDeniedException("Not allowed for this role");
    }
}
