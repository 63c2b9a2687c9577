package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.db.TenantTx;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The step of a password login between "the password is right" and "open a session": a user with
 * a confirmed second factor must give a code ({@code MFA_REQUIRED} until they do); a user of a
 * clinic that makes MFA mandatory who has none gets {@code MFA_ENROLLMENT_REQUIRED} with a
 * short-lived enrollment token and no session; everyone else passes.
 */
@Component
class SecondFactor {

    private final MfaRepository repository;
    private final MfaVerifier verifier;
    private final MfaSettings settings;
    private final TenantTx tx;
    private final Clock clock;
    private final AuditTrail audit;

    SecondFactor(MfaRepository repository, MfaVerifier verifier, MfaSettings settings, TenantTx tx, Clock clock,
            AuditTrail audit) {
        this.repository = repository;
        this.verifier = verifier;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
    }

    /** Returns how the user signed in ({@code password}, {@code password and TOTP}, …) or throws. */
    String atLogin(StaffUser user, MfaVerifier.Presented presented) {
        return atLogin(user, presented, "password");
    }

    /**
     * The same after another first factor ({@code oidc:google}): a user with a second factor, or of a
     * clinic that requires one, gives it whichever way they proved who they are.
     */
    String atLogin(StaffUser user, MfaVerifier.Presented presented, String firstFactor) {
        record Need(boolean active, boolean required) {
        }
        Need need = tx.readInClinic(user.clinicId(), () -> new Need(
                repository.state(user.clinicId(), user.id()).active(), repository.clinicRequiresMfa(user.clinicId())));
        MfaVerifier.Subject who = new MfaVerifier.Subject(user.clinicId(), user.id(), user.role());
        if (need.active()) {
            if (presented.isEmpty()) {
                refused(user, firstFactor + " correct; second factor missing");
                throw new ApiException.Unauthorized("MFA_REQUIRED", "A second-factor code is required");
            }
            return firstFactor + " and " + verifier.verify(who, presented, MfaVerifier.Purpose.LOGIN).label;
        }
        if (need.required()) {
            OpaqueToken token = OpaqueToken.fresh(user.clinicId(), user.id().value());
            Instant expires = clock.instant().plus(settings.enrollmentTokenTtl());
            tx.inClinic(user.clinicId(), () -> {
                repository.saveEnrollmentToken(user.clinicId(), user.id(), token.hash(), expires);
                return null;
            });
            refused(user, firstFactor + " correct; clinic requires a second factor, enrollment token issued");
            throw new SignInProblems.EnrollmentRequired(token.encode(), settings.enrollmentTokenTtl());
        }
        return firstFactor;
    }

    private void refused(StaffUser user, String reason) {
        audit.recordDurably(AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                .resource(AuthService.STAFF_USER, user.id().value()).reason(reason));
    }
}
