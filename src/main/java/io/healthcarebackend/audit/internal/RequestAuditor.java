package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.RequestAudit;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Audits refused and failed requests, each durably on its own since the request's transaction (if
 * any) rolled back. The resource is the route template (never the raw URL, which may carry PHI);
 * a refused or failed access to a patient's record names the patient, so it shows in that
 * patient's access report. A module that recorded a more specific failure event itself (a refused
 * account change, say) is not doubled.
 */
@Component
class RequestAuditor implements RequestAudit {

    private static final String PATIENT_ROUTE = " /api/v1/patients/{id}";

    private final AuditTrail audit;

    RequestAuditor(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void denied(CurrentUser user, String route, UUID targetId) {
        audit.recordDurably(about(AuditEvent.by(user, AuditAction.ACCESS_DENIED, AuditOutcome.DENIED), route, targetId));
    }

    @Override
    public void failed(CurrentUser user, String method, String route, UUID targetId, int status, String code) {
        if (AuditRecorder.failureAlreadyRecorded()) {
            return;
        }
        AuditEvent event = AuditEvent.by(user, action(method, route), AuditOutcome.FAILURE).reason(status + " " + code);
        audit.recordDurably(about(event, route, targetId));
    }

    @Override
    public void jobs(CurrentUser user, JobAction action, String task, String instance) {
        AuditAction recorded = action == JobAction.RETRIED ? AuditAction.JOB_RETRIED : AuditAction.JOB_DISCARDED;
        audit.recordDurably(AuditEvent.by(user, recorded, AuditOutcome.SUCCESS).resource("Job", null)
                .reason(task + (instance == null ? " (every failed and dead job)" : " " + instance)));
    }

    private static AuditEvent about(AuditEvent event, String route, UUID targetId) {
        boolean patient = route != null && targetId != null && route.contains(PATIENT_ROUTE);
        return patient ? event.about(route, targetId, targetId) : event.resource(route, targetId);
    }

    static AuditAction action(String method, String route) {
        return switch (method) {
            case "GET", "HEAD" -> AuditAction.READ;
            case "DELETE" -> AuditAction.DELETE;
            case "PUT", "PATCH" -> AuditAction.UPDATE;
            default -> route != null && route.contains("{id}") ? AuditAction.UPDATE : AuditAction.CREATE;
        };
    }
}
