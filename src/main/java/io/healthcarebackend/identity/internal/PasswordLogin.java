package io.healthcarebackend.identity.internal;

import static io.healthcarebackend.identity.internal.AuthService.STAFF_USER;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.db.TenantTx;
import io.healthcarebackend.platform.ratelimit.LoginThrottle;
import io.healthcarebackend.platform.ratelimit.RateLimitExceeded;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sign-in with e-mail and password (then the second factor where one is needed). An address may
 * have a holder in several clinics (an administrator may give any address to an account of their
 * clinic, and must not learn that another clinic holds it), so sign-in goes to the holder whose
 * password matches, at the same cost and with the same answers whatever the number of holders
 * ({@link Passwords#verify}). The address's failed-attempt budget comes first; an unknown address
 * gets the same answer and the same work as a wrong password; every failure is on record (never
 * with the e-mail); then a session through {@link AuthService#signIn}.
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
    private final TenantTx tx;

    PasswordLogin(UserRepository users, Passwords passwords, AuditTrail audit, FailedLogins failedLogins,
            SecondFactor secondFactor, LoginThrottle throttle, AuthService sessions, TenantTx tx) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.failedLogins = failedLogins;
        this.secondFactor = secondFactor;
        this.throttle = throttle;
        this.sessions = sessions;
        this.tx = tx;
    }

    /**
     * Which holders of an address a sign-in may reach: every one (no {@code clinicId} sent), the
     * platform scope ({@code "platform"}) or one clinic.
     */
    record Scope(boolean any, ClinicId clinic) {
        static final Scope ANY = new Scope(true, null);

        static Scope of(String clinicId) {
            if (clinicId == null) {
                return ANY;
            }
            return new Scope(false, "platform".equals(clinicId) ? null : ClinicId.of(clinicId));
        }

        boolean admits(StaffUser account) {
            return any || Objects.equals(clinic, account.clinicId());
        }
    }

    /** {@code secondFactorCode}: the TOTP or recovery code the client sent along, if any. */
    AuthService.Tokens login(EmailAddress email, String password, Scope scope,
            MfaVerifier.Presented secondFactorCode, AuthService.Client client) {
        List<UserRepository.Holder> found = users.holders(email).stream().filter(h -> scope.admits(h.account()))
                .toList();
        List<StaffUser> holders = found.stream().map(UserRepository.Holder::account).toList();
        LoginThrottle.Attempt attempt = throttled(email, holders);
        Passwords.Verification verification = passwords.verify(password, email,
                holders.stream().map(StaffUser::passwordHash).toList(), users.legacyVerifiersRemain());
        List<StaffUser> matched = IntStream.range(0, holders.size()).filter(verification::matches)
                .mapToObj(holders::get).toList();
        Map<ClinicId, String> clinicNames = new LinkedHashMap<>();
        found.forEach(h -> clinicNames.put(h.account().clinicId(), h.clinicName()));
        if (matched.isEmpty()) {
            refuse(holders);
        }
        List<StaffUser> active = matched.stream().filter(StaffUser::active).toList();
        if (active.isEmpty()) {
            matched.forEach(user -> log.info("Login refused for user {}", user.id()));
            audit.recordDurably(matched.stream().map(user -> failure(user, "account inactive")).toList());
            throw invalidCredentials();
        }
        // The password was right: not a failed guess, whatever follows (the second factor has its own limits).
        attempt.succeeded();
        if (active.size() > 1) {
            throw new SignInProblems.ClinicRequired(accounts(active, clinicNames));
        }
        StaffUser user = replaceOutdatedVerifier(active.getFirst(), email, password);
        return sessions.signIn(user, client, secondFactor.atLogin(user, secondFactorCode));
    }

    /**
     * No holder's password matched: one failure on each holder's record (each clinic sees the
     * attempts on its own account, none sees the others), each holder's burst count moves on.
     */
    private void refuse(List<StaffUser> holders) {
        if (holders.isEmpty()) {
            // No account, hence no clinic and no id to name; the e-mail is personal data and is
            // deliberately not recorded anywhere in the event.
            audit.recordDurably(AuditEvent.anonymous(null, AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                    .resource(STAFF_USER, null).reason("unknown account"));
            throw invalidCredentials();
        }
        holders.forEach(user -> log.info("Login refused for user {}", user.id()));
        audit.recordDurably(holders.stream().map(user -> failure(user, "wrong password")).toList());
        holders.forEach(failedLogins::failed);
        throw invalidCredentials();
    }

    private static AuditEvent failure(StaffUser user, String reason) {
        return AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN_FAILED, AuditOutcome.FAILURE)
                .resource(STAFF_USER, user.id().value()).reason(reason);
    }

    /** The accounts one person's password opens, for them to choose from: clinic id and name. */
    private static List<Map<String, Object>> accounts(List<StaffUser> active, Map<ClinicId, String> names) {
        return active.stream().map(user -> {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("clinicId", user.clinicId() == null ? "platform" : user.clinicId().value().toString());
            account.put("clinicName", user.clinicId() == null ? "Platform administration" : names.get(user.clinicId()));
            return account;
        }).toList();
    }

    /** A verifier of an earlier version is replaced now that the password is known to match it. */
    private StaffUser replaceOutdatedVerifier(StaffUser user, EmailAddress email, String password) {
        if (!Passwords.outdated(user.passwordHash())) {
            return user;
        }
        String verifier = passwords.verifier(password, email);
        tx.inClinic(user.clinicId(), () -> users.updatePassword(user.clinicId(), user.id(), verifier));
        log.info("Password verifier of user {} replaced by the current scheme", user.id());
        return user;
    }

    /** Counts the attempt on the address's failed-sign-in budget; a refusal is a failed login on the record. */
    private LoginThrottle.Attempt throttled(EmailAddress email, List<StaffUser> holders) {
        try {
            return throttle.begin(email);
        } catch (RateLimitExceeded e) {
            List<AuditEvent> events = holders.isEmpty()
                    ? List.of(AuditEvent.anonymous(null, AuditAction.LOGIN_FAILED, AuditOutcome.DENIED)
                            .resource(STAFF_USER, null).reason("too many failed attempts"))
                    : holders.stream().map(user -> AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN_FAILED,
                            AuditOutcome.DENIED).resource(STAFF_USER, user.id().value())
                            .reason("too many failed attempts")).toList();
            audit.recordDurably(events);
            throw e;
        }
    }

    private static ApiException invalidCredentials() {
        return new ApiException.Unauthorized("INVALID_CREDENTIALS", "E-mail or password is wrong");
    }
}
