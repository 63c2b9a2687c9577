package io.healthcarebackend.audit;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import java.util.Objects;
import java.util.UUID;

/**
 * One auditable fact, as a caller states it. It carries ids only, never PHI values. The recorder
 * adds what the request knows (time, IP, user agent, trace id) and the emergency flag of an
 * active break-glass grant. {@code clinicId} null means a platform-level event.
 */
public record AuditEvent(ClinicId clinicId, UUID actorId, Role actorRole, AuditAction action, String resourceType,
        UUID resourceId, UUID patientId, AuditOutcome outcome, String reason) {

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        if (reason != null && reason.length() > 500) {
            reason = reason.substring(0, 500);
        }
    }

    /** An event done by the signed-in user, in that user's clinic (none for platform admins). */
    public static AuditEvent by(CurrentUser user, AuditAction action, AuditOutcome outcome) {
        return new AuditEvent(user.clinicId(), user.id().value(), user.role(), action, null, null, null, outcome, null);
    }

    /** An event with no signed-in actor yet (a failed login) or done by the system. */
    public static AuditEvent anonymous(ClinicId clinic, AuditAction action, AuditOutcome outcome) {
        return new AuditEvent(clinic, null, null, action, null, null, null, outcome, null);
    }

    public AuditEvent actor(UUID id, Role role) {
        return new AuditEvent(clinicId, id, role, action, resourceType, resourceId, patientId, outcome, reason);
    }

    public AuditEvent resource(String type, UUID id) {
        return new AuditEvent(clinicId, actorId, actorRole, action, type, id, patientId, outcome, reason);
    }

    /** The patient record itself: resource and patient are the same id. */
    public AuditEvent patient(UUID id) {
        return new AuditEvent(clinicId, actorId, actorRole, action, resourceType == null ? "Patient" : resourceType,
                resourceId == null ? id : resourceId, id, outcome, reason);
    }

    /** A resource that belongs to a patient (an appointment): resource and patient differ. */
    public AuditEvent about(String type, UUID id, UUID patient) {
        return new AuditEvent(clinicId, actorId, actorRole, action, type, id, patient, outcome, reason);
    }

    public AuditEvent reason(String text) {
        return new AuditEvent(clinicId, actorId, actorRole, action, resourceType, resourceId, patientId, outcome, text);
    }
}
