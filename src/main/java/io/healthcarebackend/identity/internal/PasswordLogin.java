package io.healthcarebackend.identity.internal;

import static io.healthcarebackend.identity.internal.AuthService.STAFF_USER;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.ratelimit.LoginThrottle;
import io.healthcarebackend.platform.ratelimit.RateLimitExceeded;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sign-in with e-mail and password (then the second factor where one is needed): the account's
 * failed-attempt budget first, the same answer and the same work for an unknown e-mail as for a
 * wrong password, every failure on record (never with the e-mail), then a session through
 * {@link AuthService#signIn}.
 */
@Service
class PasswordLogin {

    private static final Logger log = LoggerFactory.getLogger(PasswordLogin.class);

    private final UserRepository users;
    private final Passwords passwords;
    private final AuditTrail audit;
    private final FailedLogins failedLogins;
    private final SecondFactor secondFactor;
    private final LoginThrottle throttle;
    private final AuthService sessions;

    PasswordLogin(UserRepository users, Passwords passwords, AuditTrail audit, FailedLogins failedLogins,
            SecondFactor secondFactor, LoginThrottle throttle, AuthService sessions) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.failedLogins = failedLogins;
        this.secondFactor = secondFactor;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    /** {@code secondFactorCode}: the TOTP or recovery code the client sent along, if any. */
    AuthService.Tokens login(EmailAddress email, String password, MfaVerifier.Presented secondFactorCode,
            AuthService.Client client) {
        Optional<StaffUser> found = users.findForLogin(email);
        LoginThrottle.Attempt attempt = throttled(email, found);
        if (found.isEmpty()) {
            passwords.spendDecoy(password);
            // No account, hence no clinic and no id to name; the e-mail is personal data and is
            // deliberately not recorded anywhere in the event.
            audit.recordDurably(AuditEvent.anonymous(null, AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                    .resource(STAFF_USER, null).reason("unknown account"));
            throw invalidCredentials();
        }
        StaffUser user = found.get();
        boolean passwordMatches = passwords.matches(password, user.passwordHash());
        if (!passwordMatches || !user.active()) {
            log.info("Login refused for user {}", user.id());
            audit.recordDurably(AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                    .resource(STAFF_USER, user.id().value())
                    .reason(passwordMatches ? "account inactive" : "wrong password"));
            if (!passwordMatches) {
                failedLogins.failed(user);
            }
            throw invalidCredentials();
        }
        // The password was right: not a failed guess, whatever the second factor says (it has its own limits).
        attempt.succeeded();
        return sessions.signIn(user, client, secondFactor.atLogin(user, secondFactorCode));
    }

    /** Counts the attempt on the account's failed-sign-in budget; a refusal is a failed login on the record. */
    private LoginThrottle.Attempt throttled(EmailAddress email, Optional<StaffUser> found) {
        try {
            return throttle.begin(email);
        } catch (RateLimitExceeded e) {
            audit.recordDurably(AuditEvent.anonymous(found.map(StaffUser::clinicId).orElse(null),
                    AuditAction.LOGIN_FAILED, AuditOutcome.DENIED)
                    .resource(STAFF_USER, found.map(u -> u.id().value()).orElse(null)).reason("too many failed attempts"));
            throw e;
        }
    }

    private static ApiException invalidCredentials() {
        return new ApiException.Unauthorized("INVALID_CREDENTIALS", "E-mail or password is wrong");
    }
}
