package io.healthcarebackend.audit;

import java.util.Collection;

/**
 * Records audit events. Nothing goes unaudited: when the store cannot be written, these methods
 * throw an {@link io.healthcarebackend.platform.ApiException} with status 503 ({@code AUDIT_UNAVAILABLE})
 * and the request fails instead of answering.
 */
public interface AuditTrail {

    /**
     * Records in the caller's transaction, which must be active: the event commits or rolls back
     * with the change it describes (a PHI write and its event are one unit).
     */
    void recordWithChange(AuditEvent event);

    /**
     * Records in a transaction of its own and returns once the event is durable (committed). For
     * reads, which must not be answered before their event is stored, and for failures and
     * denials, whose event must survive the rollback of the request's transaction. Concurrent
     * callers share one commit (group commit).
     */
    void recordDurably(Collection<AuditEvent> events);

    default void recordDurably(AuditEvent event) {
        recordDurably(java.util.List.of(event));
    }
}
