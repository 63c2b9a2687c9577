package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicAdministration;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.platform.db.TenantTx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Support grants: a platform administrator asks a clinic for time-boxed access to its
 * administration, with a reason; the clinic's administrator approves, denies or revokes; the grant
 * runs out by itself. Every step, every use and the end are on the clinic's audit trail, each in
 * the transaction that makes it (a use durably, before the operation it allows).
 */
@Service
class SupportGrants implements ClinicAdministration {

    static final String RESOURCE = "SupportGrant";

    private static final Logger log = LoggerFactory.getLogger(SupportGrants.class);

    private final SupportGrantRepository grants;
    private final TenantTx tx;
    private final AuditTrail audit;

    SupportGrants(SupportGrantRepository grants, TenantTx tx, AuditTrail audit) {
        this.grants = grants;
        this.tx = tx;
        this.audit = audit;
    }

    @Override
    public ClinicId mayAdminister(CurrentUser user, UUID clinicId, String operation) {
        ClinicId clinic = user.mayActOn(clinicId);
        if (!user.is(Role.PLATFORM_ADMIN)) {
            return clinic;
        }
        UUID grant = tx.readInClinic(clinic, () -> grants.active(clinic, user.id().value()))
                .orElseThrow(SupportGrants::required);
        audit.recordDurably(event(user, clinic, AuditAction.SUPPORT_GRANT_USED, AuditOutcome.SUCCESS)
                .resource(RESOURCE, grant).reason(operation));
        return clinic;
    }

    /** Whether the platform administrator holds an active grant for the clinic (no audit: nothing is done yet). */
    Optional<UUID> active(CurrentUser platformAdmin, ClinicId clinic) {
        return tx.readInClinic(clinic, () -> grants.active(clinic, platformAdmin.id().value()));
    }

    SupportGrant request(CurrentUser platformAdmin, UUID clinicId, String reason, int durationMinutes) {
        ClinicId clinic = platformAdmin.mayActOn(clinicId);
        try {
            return tx.inClinic(clinic, () -> {
                SupportGrant grant = grants.insert(clinic, Ids.newId(), platformAdmin.id().value(), reason.strip(),
                        durationMinutes);
                audit.recordWithChange(event(platformAdmin, clinic, AuditAction.SUPPORT_GRANT_REQUESTED,
                        AuditOutcome.SUCCESS).resource(RESOURCE, grant.id())
                        .reason(durationMinutes + " min: " + grant.reason()));
                return grant;
            });
        } catch (DataIntegrityViolationException e) {
            if (PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION)) {
                throw new ApiException.NotFound("Clinic");
            }
            throw e;
        }
    }

    /** A clinic's grants, newest first; a platform administrator sees only its own. */
    List<SupportGrant> list(CurrentUser user, UUID clinicId, int limit) {
        ClinicId clinic = user.mayActOn(clinicId);
        UUID only = user.is(Role.PLATFORM_ADMIN) ? user.id().value() : null;
        return tx.readInClinic(clinic, () -> grants.page(clinic, only, limit));
    }

    SupportGrant approve(CurrentUser admin, UUID clinicId, UUID grantId) {
        return decide(admin, clinicId, grantId, AuditAction.SUPPORT_GRANT_APPROVED);
    }

    SupportGrant deny(CurrentUser admin, UUID clinicId, UUID grantId) {
        return decide(admin, clinicId, grantId, AuditAction.SUPPORT_GRANT_DENIED);
    }

    /** Ends a pending or active grant at once; one that already ended is a 409. */
    SupportGrant revoke(CurrentUser admin, UUID clinicId, UUID grantId) {
        ClinicId clinic = admin.mayActOn(clinicId);
        return tx.inClinic(clinic, () -> {
            SupportGrant current = locked(clinic, grantId);
            if (!open(current)) {
                throw new ApiException.Conflict("SUPPORT_GRANT_ENDED", "The support grant has already ended");
            }
            SupportGrant revoked = grants.revoke(clinic, grantId, admin.id().value());
            audit.recordWithChange(event(admin, clinic, AuditAction.SUPPORT_GRANT_REVOKED, AuditOutcome.SUCCESS)
                    .resource(RESOURCE, grantId).reason("was " + current.status()));
            return revoked;
        });
    }

    /** Closes and audits the grants that ran out, each in its clinic's transaction (once across instances). */
    @Scheduled(fixedDelayString = "${app.support-grants.expiry-interval:PT1M}", initialDelayString = "PT30S")
    void expireDue() {
        for (SupportGrantRepository.Due due : tx.readInClinic(null, grants::due)) {
            tx.inClinic(due.clinicId(), () -> grants.expire(due.clinicId(), due.id()).map(ended -> {
                audit.recordWithChange(AuditEvent.anonymous(due.clinicId(), AuditAction.SUPPORT_GRANT_EXPIRED,
                        AuditOutcome.SUCCESS).resource(RESOURCE, due.id()).reason(ended.approvedAt() == null
                                ? "request not answered within a day" : "approved grant ran out"));
                log.info("Support grant {} of clinic {} expired", due.id(), due.clinicId());
                return ended;
            }));
        }
    }

    private SupportGrant decide(CurrentUser admin, UUID clinicId, UUID grantId, AuditAction decision) {
        ClinicId clinic = admin.mayActOn(clinicId);
        return tx.inClinic(clinic, () -> {
            SupportGrant current = locked(clinic, grantId);
            if (current.status() != SupportGrant.Status.PENDING || !open(current)) {
                throw new ApiException.Conflict("SUPPORT_GRANT_NOT_PENDING", "The support grant is not pending");
            }
            SupportGrant decided = decision == AuditAction.SUPPORT_GRANT_APPROVED
                    ? grants.approve(clinic, grantId, admin.id().value())
                    : grants.deny(clinic, grantId, admin.id().value());
            audit.recordWithChange(event(admin, clinic, decision, AuditOutcome.SUCCESS).resource(RESOURCE, grantId)
                    .reason(decided.expiresAt() == null ? null : "until " + decided.expiresAt()));
            return decided;
        });
    }

    private SupportGrant locked(ClinicId clinic, UUID grantId) {
        return grants.lock(clinic, grantId).orElseThrow(() -> new ApiException.NotFound("Support grant"));
    }

    /** Pending and answered within a day, or approved and not run out (the job may not have closed it yet). */
    private static boolean open(SupportGrant grant) {
        java.time.Instant now = java.time.Instant.now();
        return switch (grant.status()) {
            case PENDING -> grant.requestedAt().plus(java.time.Duration.ofDays(1)).isAfter(now);
            case APPROVED -> grant.expiresAt().isAfter(now);
            default -> false;
        };
    }

    /** In the clinic the grant belongs to, whoever acts (a platform administrator has no clinic of its own). */
    private static AuditEvent event(CurrentUser user, ClinicId clinic, AuditAction action, AuditOutcome outcome) {
        return AuditEvent.anonymous(clinic, action, outcome).actor(user.id().value(), user.role());
    }

    private static ApiException required() {
        return new ApiException(HttpStatus.FORBIDDEN, "SUPPORT_GRANT_REQUIRED",
                "Changing an existing clinic's administration needs a support grant its administrator approved");
    }
}
