package io.healthcarebackend.audit.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One line of the live tail: a request summary or a WARN/ERROR log event. Carries ids, route
 * templates, levels and masked log messages only — never a raw path, a query string or a body,
 * because those can hold PHI. {@code clinicId} decides who may see it (null = a platform event).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LiveEvent(String kind, Instant at, String instance, String clinicId, String userId, String traceId,
        String method, String route, Integer status, Long durationMs,
        String level, String logger, String message) {

    static final String REQUEST = "request";
    static final String LOG = "log";

    static LiveEvent request(Instant at, String instance, String clinicId, String userId, String traceId,
            String method, String route, int status, long durationMs) {
        return new LiveEvent(REQUEST, at, instance, clinicId, userId, traceId, method, route, status, durationMs,
                null, null, null);
    }

    static LiveEvent log(Instant at, String instance, String clinicId, String userId, String traceId, String level,
            String logger, String message) {
        return new LiveEvent(LOG, at, instance, clinicId, userId, traceId, null, null, null, null, level, logger,
                message);
    }

    /** Whether a viewer scoped to {@code clinic} (null = the platform) may see this event. */
    boolean visibleTo(String clinic) {
        return clinic == null ? clinicId == null : clinic.equals(clinicId);
    }
}
