package io.healthcarebackend.audit;

import io.healthcarebackend.platform.CurrentUser;
import java.time.Instant;
import java.util.UUID;

/**
 * Break-glass access to one patient's record: time-boxed, with a mandatory reason, audited as
 * {@link AuditAction#EMERGENCY_ACCESS}, and every event the user then produces about that patient
 * is flagged {@code emergency} with the reason until the grant expires.
 */
public interface EmergencyAccess {

    /** Grants in the caller's (writing) transaction, after the caller checked the patient exists. */
    Grant grant(CurrentUser user, UUID patientId, String reason);

    /** Whether the user holds an unexpired grant for the patient (read from the database, not a cache). */
    boolean isActive(CurrentUser user, UUID patientId);

    record Grant(UUID patientId, String reason, Instant expiresAt) {
    }
}
