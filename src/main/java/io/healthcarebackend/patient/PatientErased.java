package io.healthcarebackend.patient;

import io.healthcarebackend.platform.CurrentUser;
import java.util.UUID;

/**
 * A patient was erased (GDPR Art. 17). Published inside the erasure's transaction, before the
 * patient's key is destroyed: listeners act synchronously in that transaction (cancel what must
 * not happen any more), so the erasure commits with all of it or with none. Ids only.
 */
public record PatientErased(CurrentUser by, UUID patientId) {
}
