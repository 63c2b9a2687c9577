package io.healthcarebackend.platform.jobs.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The dashboard page's own Content-Security-Policy, on the page and the app's files. Set before the
 * handler writes anything; the security filter chain's API policy ({@code default-src 'none'})
 * only fills in responses that carry none, so it stays on the JSON API and on every refusal.
 */
final class PageHeaders implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        response.setHeader("Content-Security-Policy", QueueDashboardConfig.CSP);
        response.setHeader("Referrer-Policy", "no-referrer");
        return true;
    }
}
