package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.config.RuntimeSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A worker ({@code APP_ROLE=worker}) serves no public HTTP: only {@code /health} (and its probes)
 * and {@code /metrics} answer; everything else is 404 before security, rate limits or any module
 * sees it. On other roles the filter lets everything through.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WorkerOnlyFilter extends OncePerRequestFilter {

    private final boolean worker;

    WorkerOnlyFilter(RuntimeSettings settings) {
        this.worker = !settings.role().servesApi();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!worker) {
            return true;
        }
        String path = request.getRequestURI();
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Problems.write(request, response, HttpStatus.NOT_FOUND, "NOT_FOUND",
                "This instance is a worker (APP_ROLE=worker): it serves /health and /metrics only");
    }
}
