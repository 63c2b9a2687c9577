package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;
import java.util.UUID;

/**
 * Told of every signed-in request that is refused (403) or fails (any other 4xx or 5xx), so it
 * can be audited even though the request's own work rolls back. Platform uses no module, so the
 * recording lives in a module that implements this; without one nothing is reported.
 */
public interface RequestAudit {

    /**
     * Records a refusal durably, on its own. Throws an {@link io.healthcarebackend.platform.ApiException}
     * (503) when it cannot, and the caller answers with that instead of the 403.
     *
     * @param route    the HTTP method and route template, e.g. {@code POST /api/v1/practitioners}; null
     *                 when no route matched. Never the raw URL: a query string may carry PHI.
     * @param targetId the route's {@code {id}} when it is a UUID, else null
     */
    void denied(CurrentUser user, String route, UUID targetId);

    /** Records a failed request durably, like {@link #denied}; {@code code} is the problem's code. */
    void failed(CurrentUser user, String method, String route, UUID targetId, int status, String code);

    /** What an operator may do to background jobs. */
    enum JobAction {
        RETRIED, DISCARDED
    }

    /**
     * Records, durably and before it is carried out, an operator's change to background jobs (a
     * retry or a deletion on /queue-dashboard), like {@link #denied}. {@code task} and
     * {@code instance} are ids (the instance null when the change covers the task's failed jobs).
     */
    void jobs(CurrentUser user, JobAction action, String task, String instance);
}
