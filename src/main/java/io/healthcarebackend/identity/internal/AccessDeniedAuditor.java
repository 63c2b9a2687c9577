package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.AccessDenials;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Audits every request refused for the user's role. Lives in identity because deciding what a
 * role may do is access control, identity's concern; platform only reports the refusal (it may use
 * no module), and the audit module stays a plain recorder that depends on platform alone. Durable
 * on its own, since the refused request's transaction (if any) has rolled back.
 */
@Component
class AccessDeniedAuditor implements AccessDenials {

    private final AuditTrail audit;

    AccessDeniedAuditor(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void denied(CurrentUser user, String route, UUID targetId) {
        audit.recordDurably(AuditEvent.by(user, AuditAction.ACCESS_DENIED, AuditOutcome.DENIED)
                .resource(route, targetId));
    }
}
