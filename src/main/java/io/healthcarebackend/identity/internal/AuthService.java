package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.TenantTx;
import io.healthcarebackend.platform.ratelimit.LoginThrottle;
import io.healthcarebackend.platform.ratelimit.RateLimitExceeded;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Password login, refresh-token rotation, logout and session management. Access tokens are
 * stateless and short-lived; the session behind them is the server-side switch that logout,
 * reuse detection and deactivation turn off.
 *
 * <p>Every login, failed login, logout, refresh-token reuse and revocation is audited. Sessions
 * may live in Redis, outside any database transaction, so the order is: act on the session, then
 * record the event durably. When the event cannot be stored the request fails with 503; a login
 * is then undone (no access exists that is not on record), while a revocation stays done (undoing
 * it would hand back access) and only the answer tells the client something went wrong.
 */
@Service
class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    static final String STAFF_USER = "StaffUser";
    static final String SESSION = "Session";

    private final UserRepository users;
    private final SessionStore sessions;
    private final SessionLivenessCache liveness;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final SessionSettings settings;
    private final TenantTx tx;
    private final Clock clock;
    private final AuditTrail audit;
    private final SessionLimit limit;
    private final SuspiciousActivity suspicious;
    private final FailedLogins failedLogins;
    private final SessionCipher cipher;
    private final SecondFactor secondFactor;
    private final LoginThrottle throttle;

    AuthService(UserRepository users, SessionStore sessions, SessionLivenessCache liveness, Passwords passwords,
            AccessTokens accessTokens, SessionSettings settings, TenantTx tx, Clock clock, AuditTrail audit,
            SessionLimit limit, SuspiciousActivity suspicious, FailedLogins failedLogins, SessionCipher cipher,
            SecondFactor secondFactor, LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.liveness = liveness;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.limit = limit;
        this.suspicious = suspicious;
        this.failedLogins = failedLogins;
        this.cipher = cipher;
        this.secondFactor = secondFactor;
        this.throttle = throttle;
    }

    record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    record Client(String ip, String userAgent) {
    }

    /** {@code secondFactorCode}: the TOTP or recovery code the client sent along, if any. */
    Tokens login(String email, String password, MfaVerifier.Presented secondFactorCode, Client client) {
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
        return signIn(user, client, secondFactor.atLogin(user, secondFactorCode));
    }

    /** Counts the attempt on the account's failed-sign-in budget; a refusal is a failed login on the record. */
    private LoginThrottle.Attempt throttled(String email, Optional<StaffUser> found) {
        try {
            return throttle.begin(email);
        } catch (RateLimitExceeded e) {
            audit.recordDurably(AuditEvent.anonymous(found.map(StaffUser::clinicId).orElse(null),
                    AuditAction.LOGIN_FAILED, AuditOutcome.DENIED)
                    .resource(STAFF_USER, found.map(u -> u.id().value()).orElse(null)).reason("too many failed attempts"));
            throw e;
        }
    }

    /**
     * Opens a session for a user who has proven who they are (password and, where required, a
     * second factor; or an OpenID Connect provider) and records the login. {@code method} names
     * how they signed in, for the audit trail.
     */
    Tokens signIn(StaffUser user, Client client, String method) {
        Instant now = clock.instant();
        UUID sessionId = io.healthcarebackend.platform.Ids.newId();
        RefreshToken refresh = RefreshToken.fresh(user.clinicId(), sessionId);
        sessions.create(new Session(sessionId, user.clinicId(), user.id(), user.role(), refresh.hash(), now, now,
                now.plus(settings.absoluteTimeout()), now.plus(settings.refreshWindow()), client.ip(),
                truncate(client.userAgent()), ClientNetwork.device(client.userAgent()), cipher.network(client.ip()),
                null));
        try {
            audit.recordDurably(AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN, AuditOutcome.SUCCESS)
                    .actor(user.id().value(), user.role()).resource(STAFF_USER, user.id().value())
                    .reason("signed in with " + method));
        } catch (RuntimeException e) {
            undoSession(user.clinicId(), sessionId);
            throw e;
        }
        log.info("Login succeeded for user {} (session {})", user.id(), sessionId);
        limit.enforce(user.clinicId(), user.id(), user.role(), sessionId);
        return tokens(new CurrentUser(user.id(), user.clinicId(), user.role(), sessionId), refresh);
    }

    Tokens refresh(String token, Client client) {
        RefreshToken presented = RefreshToken.parse(token).orElseThrow(AuthService::invalidRefresh);
        Instant now = clock.instant();
        Session session = sessions.find(presented.clinic(), presented.sessionId())
                .filter(s -> s.aliveAt(now))
                .orElseThrow(AuthService::invalidRefresh);
        if (!presented.matches(session.refreshHash())) {
            revokeSession(session.clinicId(), session.id());
            log.warn("Refresh token reuse detected; session {} of user {} revoked", session.id(), session.userId());
            throw reused(session);
        }
        StaffUser user = tx.readInClinic(session.clinicId(), () -> users.find(session.clinicId(), session.userId()))
                .filter(StaffUser::active)
                .orElse(null);
        if (user == null) {
            revokeSession(session.clinicId(), session.id());
            audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.SESSION_REVOKED,
                    AuditOutcome.SUCCESS).resource(SESSION, session.id()).reason("account inactive or removed"));
            throw invalidRefresh();
        }
        if (!suspicious.refreshAllowed(session, client)) {
            liveness.evict(session.id());
            throw new ApiException.Unauthorized("REAUTHENTICATION_REQUIRED", "Sign in again: this session was "
                    + "ended because it was used in an unexpected way");
        }
        RefreshToken next = RefreshToken.fresh(session.clinicId(), session.id());
        Session.Rotation rotation = new Session.Rotation(session.refreshHash(), next.hash(), now,
                now.plus(settings.refreshWindow()), client.ip(), truncate(client.userAgent()),
                cipher.network(client.ip()));
        if (!sessions.rotate(session.clinicId(), session.id(), rotation)) {
            revokeSession(session.clinicId(), session.id());
            throw reused(session);
        }
        return tokens(new CurrentUser(user.id(), user.clinicId(), user.role(), session.id()), next);
    }

    void logout(CurrentUser user) {
        revokeSession(user.clinicId(), user.sessionId());
        log.info("Logout of user {} (session {})", user.id(), user.sessionId());
        audit.recordDurably(AuditEvent.by(user, AuditAction.LOGOUT, AuditOutcome.SUCCESS)
                .resource(SESSION, user.sessionId()));
    }

    List<Session> sessionsOf(CurrentUser user) {
        return sessions.listOf(user.clinicId(), user.id());
    }

    /** Own sessions, or (clinic admins) any session of a user of the same clinic. */
    void revoke(CurrentUser user, UUID sessionId) {
        Session session = sessions.find(user.clinicId(), sessionId)
                .filter(s -> s.userId().equals(user.id()) || user.is(Role.CLINIC_ADMIN))
                .orElseThrow(() -> new ApiException.NotFound("Session"));
        revokeSession(session.clinicId(), session.id());
        // An admin ending someone else's session: the session is gone afterwards, so name its owner.
        audit.recordDurably(AuditEvent.by(user, AuditAction.SESSION_REVOKED, AuditOutcome.SUCCESS)
                .resource(SESSION, session.id())
                .reason(session.userId().equals(user.id()) ? "own session" : "session of user " + session.userId()));
    }

    /** Ends the user's other sessions after they changed their password, one event per session. */
    void revokeOthers(CurrentUser user, String reason) {
        List<UUID> others = sessions.listOf(user.clinicId(), user.id()).stream().map(Session::id)
                .filter(id -> !id.equals(user.sessionId())).toList();
        others.forEach(id -> sessions.revoke(user.clinicId(), id));
        liveness.evictAll(others);
        audit.recordDurably(others.stream()
                .map(id -> AuditEvent.by(user, AuditAction.SESSION_REVOKED, AuditOutcome.SUCCESS)
                        .resource(SESSION, id).reason(reason))
                .toList());
    }

    /** Ends every session of a user after an account change by an admin, one event per session. */
    void revokeAllOf(CurrentUser admin, ClinicId clinic, UserId user, String reason) {
        List<UUID> revoked = sessions.revokeAll(clinic, user);
        liveness.evictAll(revoked);
        audit.recordDurably(revoked.stream()
                .map(id -> AuditEvent.by(admin, AuditAction.SESSION_REVOKED, AuditOutcome.SUCCESS)
                        .resource(SESSION, id).reason(reason + "; session of user " + user))
                .toList());
    }

    @Scheduled(fixedDelayString = "${app.sessions.cleanup-interval:PT1H}", initialDelayString = "PT1M")
    void purgeExpired() {
        int removed = sessions.purgeExpired();
        if (removed > 0) {
            log.info("Removed {} expired sessions", removed);
        }
    }

    private void revokeSession(ClinicId clinic, UUID id) {
        sessions.revoke(clinic, id);
        liveness.evict(id);
    }

    /** Records the reuse (the presenter may be a thief: the session and its owner are named) and ends it. */
    private ApiException reused(Session session) {
        audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.REFRESH_TOKEN_REUSE,
                AuditOutcome.DENIED).actor(session.userId().value(), session.role()).resource(SESSION, session.id())
                .reason("refresh token reused; session ended"));
        return new ApiException.Unauthorized("REFRESH_TOKEN_REUSED", "Refresh token was already used; "
                + "the session has been ended");
    }

    /** A session whose login could not be audited must not stay usable. */
    private void undoSession(ClinicId clinic, UUID id) {
        try {
            revokeSession(clinic, id);
        } catch (RuntimeException e) {
            log.error("Session {} could not be removed after its login failed to be audited", id, e);
        }
    }

    private Tokens tokens(CurrentUser user, RefreshToken refresh) {
        return new Tokens(accessTokens.issue(user), refresh.encode(), "Bearer", accessTokens.ttlSeconds());
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= 256 ? userAgent : userAgent.substring(0, 256);
    }

    private static ApiException invalidCredentials() {
        return new ApiException.Unauthorized("INVALID_CREDENTIALS", "E-mail or password is wrong");
    }

    private static ApiException invalidRefresh() {
        return new ApiException.Unauthorized("INVALID_REFRESH_TOKEN", "Refresh token is not valid");
    }
}
