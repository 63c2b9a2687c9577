package io.healthcarebackend.audit;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Who touched a patient's record, when, how and why: the audit trail seen from one patient. */
public interface PatientAccessReport {

    /** Newest first; {@code before} is the keyset cursor (exclusive), null for the newest. */
    List<Entry> forPatient(ClinicId clinic, UUID patientId, Cursor before, int limit);

    record Cursor(Instant at, UUID id) {
    }

    record Entry(UUID id, Instant at, UUID actorId, String actorRole, String action, String resourceType,
            UUID resourceId, String outcome, String ip, boolean emergency, String reason, String traceId) {
    }
}
