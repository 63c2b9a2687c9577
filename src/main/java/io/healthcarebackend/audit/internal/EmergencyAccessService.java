package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.audit.EmergencyAccess;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

@Service
class EmergencyAccessService implements EmergencyAccess {

    private final EmergencyGrants grants;
    private final AuditTrail audit;
    private final Duration length;

    EmergencyAccessService(EmergencyGrants grants, AuditTrail audit,
            @Value("${app.audit.emergency-access-duration:PT1H}") Duration length) {
        this.grants = grants;
        this.audit = audit;
        this.length = length;
    }

    @Override
    public Grant grant(CurrentUser user, UUID patientId, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new ApiException.BadRequest("REASON_REQUIRED", "A reason of 1 to 500 characters is required");
        }
        EmergencyGrants.Grant grant = grants.grant(user.clinic(), user.id().value(), patientId, reason.strip(), length);
        audit.recordWithChange(AuditEvent.by(user, AuditAction.EMERGENCY_ACCESS, AuditOutcome.SUCCESS)
                .patient(patientId).reason(grant.reason()));
        return new Grant(patientId, grant.reason(), grant.expiresAt());
    }

    @Override
    public boolean isActive(CurrentUser user, UUID patientId) {
        return grants.isActive(user.clinic(), user.id().value(), patientId);
    }
}
