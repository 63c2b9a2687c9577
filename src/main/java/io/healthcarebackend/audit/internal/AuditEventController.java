package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.Page;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail for compliance staff: clinic admins and compliance officers see their clinic's
 * events, platform admins the platform-level ones (events of no clinic), never a clinic's.
 */
@RestController
@RequestMapping("/api/v1/audit-events")
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'COMPLIANCE_OFFICER', 'PLATFORM_ADMIN')")
class AuditEventController {

    private final AuditEventQuery query;
    private final AuditVerifier verifier;

    AuditEventController(AuditEventQuery query, AuditVerifier verifier) {
        this.query = query;
        this.verifier = verifier;
    }

    record VerifyRequest(OffsetDateTime from, OffsetDateTime to) {
    }

    record VerifyResult(boolean valid, long checked, UUID firstInvalidId, String problem) {
    }

    /** Verifies the caller's chain: a clinic's for its staff, the platform chain for platform admins. */
    @PostMapping("/verify")
    VerifyResult verify(@AuthenticationPrincipal CurrentUser user, @RequestBody(required = false) VerifyRequest body) {
        Instant from = body == null || body.from() == null ? null : body.from().toInstant();
        Instant to = body == null || body.to() == null ? null : body.to().toInstant();
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ApiException.BadRequest("INVALID_RANGE", "from must be before to");
        }
        AuditVerifier.Result r = verifier.verify(user.clinicId(), from, to);
        return new VerifyResult(r.valid(), r.checked(), r.firstInvalidId(), r.problem());
    }

    record EventView(UUID id, Instant at, UUID actorId, String actorRole, String action, String resourceType,
            UUID resourceId, UUID patientId, String outcome, String ip, String userAgent, String traceId,
            boolean emergency, String reason) {
        static EventView of(StoredEvent e) {
            return new EventView(e.id(), e.at(), e.actorId(), e.actorRole(), e.action(), e.resourceType(),
                    e.resourceId(), e.patientId(), e.outcome(), e.ip(), e.userAgent(), e.traceId(), e.emergency(),
                    e.reason());
        }
    }

    @GetMapping
    Page<EventView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) UUID patientId, @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) AuditAction action,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(required = false) Boolean emergency,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ApiException.BadRequest("INVALID_RANGE", "from must be before to");
        }
        int size = Cursor.limit(limit);
        var filter = new AuditEventQuery.Filter(patientId, actorId, action == null ? null : action.name(),
                from == null ? null : from.toInstant(), to == null ? null : to.toInstant(), emergency,
                Cursor.timeAndId(cursor), size + 1);
        return Page.of(query.find(user.clinicId(), filter), size, EventView::of,
                v -> Cursor.ofTimeAndId(v.at(), v.id()));
    }
}
