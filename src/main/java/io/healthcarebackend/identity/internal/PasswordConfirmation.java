package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.db.TenantTx;
import io.healthcarebackend.platform.ratelimit.LoginThrottle;
import io.healthcarebackend.platform.ratelimit.RateLimitExceeded;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A signed-in user proves again that they know their password before a change that a stolen
 * access token alone must not make: a new password, a second factor turned on or off. Every such
 * check counts on the account's failed-sign-in budget ({@link LoginThrottle}, keyed by the
 * account's normalised e-mail, exactly as sign-in is), so a bearer token is no way round the
 * sign-in limits: wrong guesses here and at {@code /login} deplete one budget, and once it is spent
 * both answer 429. A wrong password is audited (with {@code action}) and counts towards the
 * failed-login burst detection.
 */
@Component
class PasswordConfirmation {

    private final UserRepository users;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final FailedLogins failedLogins;
    private final AuditTrail audit;
    private final TenantTx tx;

    PasswordConfirmation(UserRepository users, Passwords passwords, LoginThrottle throttle, FailedLogins failedLogins,
            AuditTrail audit, TenantTx tx) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.failedLogins = failedLogins;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * Checks {@code password} against the signed-in user's; 403 {@code PASSWORD_REQUIRED} without
     * one, 403 {@code INVALID_CURRENT_PASSWORD} when wrong, 429 when the account's budget is spent;
     * returns the account.
     */
    StaffUser confirm(CurrentUser user, String password, AuditAction action) {
        if (password == null || password.isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "PASSWORD_REQUIRED",
                    "This change needs your current password in the request body");
        }
        StaffUser account = tx.readInClinic(user.clinicId(), () -> users.find(user.clinicId(), user.id()))
                .orElseThrow(() -> new ApiException.NotFound("User"));
        LoginThrottle.Attempt attempt = throttled(user, account, action);
        if (!passwords.matches(password, EmailAddress.of(account.email()), account.passwordHash())) {
            audit.recordDurably(AuditEvent.by(user, action, AuditOutcome.FAILURE)
                    .resource(AuthService.STAFF_USER, user.id().value()).reason("current password wrong"));
            failedLogins.failed(account);
            throw new ApiException(HttpStatus.FORBIDDEN, "INVALID_CURRENT_PASSWORD", "The current password is wrong");
        }
        attempt.succeeded();
        return account;
    }

    private LoginThrottle.Attempt throttled(CurrentUser user, StaffUser account, AuditAction action) {
        try {
            return throttle.begin(EmailAddress.of(account.email()));
        } catch (RateLimitExceeded e) {
            audit.recordDurably(AuditEvent.by(user, action, AuditOutcome.DENIED)
                    .resource(AuthService.STAFF_USER, user.id().value()).reason("too many failed attempts"));
            throw e;
        }
    }
}
