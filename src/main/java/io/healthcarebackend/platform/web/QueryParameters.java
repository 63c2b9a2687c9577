package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Refuses query parameters a route does not take, instead of silently ignoring them. A client that
 * still sends search criteria in the URL (where proxies, ingress and browsers log them) learns to
 * send them in a body, and the answer names neither the parameter's value nor echoes the URL.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** 400 {@code QUERY_PARAMETER_NOT_ALLOWED} when the request has a query parameter not in {@code allowed}. */
    public static void refuseAllBut(HttpServletRequest request, String hint, String... allowed) {
        Set<String> accepted = Set.of(allowed);
        for (String name : request.getParameterMap().keySet()) {
            if (!accepted.contains(name)) {
                throw new ApiException.BadRequest("QUERY_PARAMETER_NOT_ALLOWED",
                        "Only " + String.join(", ", allowed) + " may be in the query string here; " + hint);
            }
        }
    }
}
