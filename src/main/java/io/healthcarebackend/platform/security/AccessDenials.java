package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;
import java.util.UUID;

/**
 * Told of every request refused because the signed-in user's role does not allow it (a 403), so
 * the refusal can be audited. Platform uses no module, so the recording lives in a module that
 * implements this; without an implementation refusals are simply not reported.
 */
public interface AccessDenials {

    /**
     * Records the refusal durably, on its own: the request's own work does not commit. Throws an
     * {@link io.healthcarebackend.platform.ApiException} (503) when it cannot, and the caller answers
     * with that instead of the 403.
     *
     * @param route    the HTTP method and route template, e.g. {@code POST /api/v1/practitioners}; null
     *                 when no route matched. Never the raw URL: a query string may carry PHI.
     * @param targetId the route's {@code {id}} when it is a UUID, else null
     */
    void denied(CurrentUser user, String route, UUID targetId);
}
