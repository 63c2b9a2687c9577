package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.TenantTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a second factor: a TOTP code (single use: only a time step after the last accepted one)
 * or a one-time recovery code. Every attempt is counted before it is checked and too many wrong
 * ones in a row lock the factor for a while ({@link MfaRepository#countAttempt}); a success
 * clears the count. Wrong codes and locks are audited (at login as {@code LOGIN_FAILED}, else as a
 * failed {@code MFA_CHANGED}); the reason names the rule, never the code.
 */
@Component
class MfaVerifier {

    private static final Logger log = LoggerFactory.getLogger(MfaVerifier.class);

    /** Who presents the code, and what for (for the answer and the audit trail). */
    record Subject(ClinicId clinic, UserId user, Role role) {
    }

    enum Purpose {
        LOGIN, CONFIRM, MANAGE
    }

    enum Factor {
        TOTP("TOTP"), RECOVERY_CODE("recovery code");

        final String label;

        Factor(String label) {
            this.label = label;
        }
    }

    /** What the client typed: a TOTP code, a recovery code, or a recovery code in the TOTP field. */
    record Presented(String totp, String recoveryCode) {
        boolean isEmpty() {
            return blank(totp) && blank(recoveryCode);
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }

    private final MfaRepository repository;
    private final MfaSecrets secrets;
    private final MfaSettings settings;
    private final TenantTx tx;
    private final Clock clock;
    private final AuditTrail audit;

    MfaVerifier(MfaRepository repository, MfaSecrets secrets, MfaSettings settings, TenantTx tx, Clock clock,
            AuditTrail audit) {
        this.repository = repository;
        this.secrets = secrets;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Accepts the code or throws: {@code INVALID_MFA_CODE} (401 at login, 422 otherwise), 429
     * {@code MFA_LOCKED}, or 400 {@code MFA_CODE_REQUIRED} when no code was given at all. {@code CONFIRM} checks the key being enrolled and takes TOTP only; the
     * others need a confirmed key.
     */
    Factor verify(Subject who, Presented presented, Purpose purpose) {
        if (presented.isEmpty()) {
            // Not a guess: nothing to count.
            throw new ApiException.BadRequest("MFA_CODE_REQUIRED", "A TOTP code or a recovery code is required");
        }
        Instant now = clock.instant();
        Optional<MfaRepository.Attempt> counted = tx.inClinic(who.clinic(), () -> repository.countAttempt(
                who.clinic(), who.user(), now, settings.maxFailures(), settings.lockout(), settings.maxLockout()));
        if (counted.isEmpty()) {
            throw locked(who, purpose, now);
        }
        MfaRepository.Attempt attempt = counted.get();
        if (attempt.active() != (purpose != Purpose.CONFIRM)) {
            // Nothing to check against for this purpose: not a guess, so do not let it count.
            tx.inClinic(who.clinic(), () -> {
                repository.resetFailures(who.clinic(), who.user());
                return null;
            });
            throw purpose == Purpose.CONFIRM
                    ? new ApiException.Conflict("MFA_ALREADY_ENABLED", "A second factor is already enabled")
                    : new ApiException.Conflict("MFA_NOT_ENABLED", "No second factor is enabled");
        }
        String totp = presented.totp() == null ? null : presented.totp().strip();
        if (Totp.isWellFormed(totp)) {
            if (acceptTotp(who, attempt, totp, now)) {
                return Factor.TOTP;
            }
        } else if (purpose != Purpose.CONFIRM) {
            String typed = presented.recoveryCode() != null ? presented.recoveryCode() : totp;
            if (acceptRecoveryCode(who, typed)) {
                return Factor.RECOVERY_CODE;
            }
        }
        throw wrongCode(who, purpose, now);
    }

    private boolean acceptTotp(Subject who, MfaRepository.Attempt attempt, String code, Instant now) {
        byte[] key = secrets.open(who.user(), attempt.sealedSecret());
        OptionalLong step = Totp.match(key, code, now);
        java.util.Arrays.fill(key, (byte) 0);
        return step.isPresent() && step.getAsLong() > attempt.lastStep()
                && tx.inClinic(who.clinic(), () -> repository.acceptStep(who.clinic(), who.user(), step.getAsLong()));
    }

    private boolean acceptRecoveryCode(Subject who, String typed) {
        Optional<String> code = RecoveryCodes.normalize(typed);
        if (code.isEmpty()) {
            return false;
        }
        byte[] hash = RecoveryCodes.hash(who.user(), code.get());
        return tx.inClinic(who.clinic(), () -> {
            if (!repository.useRecoveryCode(who.clinic(), who.user(), hash)) {
                return false;
            }
            repository.resetFailures(who.clinic(), who.user());
            int left = repository.state(who.clinic(), who.user()).recoveryCodesLeft();
            audit.recordWithChange(event(who, AuditOutcome.SUCCESS, "recovery code used; " + left + " left"));
            return true;
        });
    }

    private ApiException wrongCode(Subject who, Purpose purpose, Instant now) {
        Optional<Instant> lockedUntil = tx.readInClinic(who.clinic(),
                () -> repository.lockedUntil(who.clinic(), who.user())).filter(now::isBefore);
        String reason = "wrong or already used second-factor code"
                + lockedUntil.map(until -> "; locked for " + Duration.between(now, until).toSeconds() + " s").orElse("");
        log.info("Second factor refused for user {} ({})", who.user(), purpose);
        audit.recordDurably(failure(who, purpose, reason));
        return purpose == Purpose.LOGIN
                ? new ApiException.Unauthorized("INVALID_MFA_CODE", "The second-factor code is wrong or was already used")
                : new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "INVALID_MFA_CODE",
                        "The second-factor code is wrong or was already used");
    }

    private ApiException locked(Subject who, Purpose purpose, Instant now) {
        Optional<Instant> until = tx.readInClinic(who.clinic(), () -> repository.lockedUntil(who.clinic(), who.user()))
                .filter(now::isBefore);
        if (until.isEmpty()) {
            // No key at all (countAttempt found no row with one).
            return new ApiException.Conflict("MFA_NOT_ENABLED", "No second factor is enabled");
        }
        log.warn("Second factor of user {} is locked after repeated wrong codes", who.user());
        audit.recordDurably(failure(who, purpose, "second factor locked after repeated wrong codes"));
        return new SignInProblems.Locked(Duration.between(now, until.get()));
    }

    private static AuditEvent failure(Subject who, Purpose purpose, String reason) {
        if (purpose == Purpose.LOGIN) {
            return AuditEvent.anonymous(who.clinic(), AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                    .resource(AuthService.STAFF_USER, who.user().value()).reason(reason);
        }
        return event(who, AuditOutcome.FAILURE, reason);
    }

    static AuditEvent event(Subject who, AuditOutcome outcome, String reason) {
        return new AuditEvent(who.clinic(), who.user().value(), who.role(), AuditAction.MFA_CHANGED,
                AuthService.STAFF_USER, who.user().value(), null, outcome, reason);
    }
}
