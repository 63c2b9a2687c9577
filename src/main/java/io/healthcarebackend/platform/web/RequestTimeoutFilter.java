package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.db.RequestDeadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a time budget ({@code HTTP_REQUEST_TIMEOUT}, 30 s by default): its database
 * work is cancelled by PostgreSQL when the budget is spent and the answer is 503
 * {@code REQUEST_TIMEOUT} (the transaction rolls back, nothing changes). Slow clients are cut by
 * the server's connection timeout while their request is read. A stream (server-sent events)
 * keeps no budget past its handler: the budget belongs to the request thread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestTimeoutFilter extends OncePerRequestFilter {

    private final Duration budget;

    RequestTimeoutFilter(@Value("${app.http.request-timeout:30s}") Duration budget) {
        this.budget = budget;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (RequestDeadline.Scope scope = RequestDeadline.start(budget)) {
            chain.doFilter(request, response);
        }
    }
}
