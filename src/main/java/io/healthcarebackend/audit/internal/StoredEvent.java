package io.healthcarebackend.audit.internal;

import java.time.Instant;
import java.util.UUID;

/** An audit row as stored and chained: the caller's event plus what the recorder added. */
record StoredEvent(UUID id, UUID clinicId, Instant at, UUID actorId, String actorRole, String action,
        String resourceType, UUID resourceId, UUID patientId, String outcome, String ip, String userAgent,
        String traceId, boolean emergency, String reason) {
}
