package io.healthcarebackend.patient.internal;

import io.healthcarebackend.audit.EmergencyAccess;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Restricted records open only under an active break-glass grant, checked in the database on each
 * access (not cached): a refusal is a 403 that the audit trail records as a denied access.
 */
@Component
class RestrictedRecords {

    private final EmergencyAccess emergency;

    RestrictedRecords(EmergencyAccess emergency) {
        this.emergency = emergency;
    }

    boolean mayOpen(CurrentUser user, StoredPatient row) {
        return !row.restricted() || emergency.isActive(user, row.id());
    }

    boolean granted(CurrentUser user, java.util.UUID patientId) {
        return emergency.isActive(user, patientId);
    }

    void requireAccess(CurrentUser user, StoredPatient row) {
        if (!mayOpen(user, row)) {
            throw refusal();
        }
    }

    static ApiException refusal() {
        return new ApiException(HttpStatus.FORBIDDEN, "EMERGENCY_ACCESS_REQUIRED",
                "This record is restricted: request emergency access with a reason first");
    }
}
