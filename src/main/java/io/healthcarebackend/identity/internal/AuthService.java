package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.db.TenantTx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Opening sessions and rotating their refresh tokens. Access tokens are stateless and
 * short-lived; the session behind them is the server-side switch that logout, reuse detection and
 * deactivation turn off ({@link SessionRevocation}). How a user proves who they are is elsewhere
 * ({@link PasswordLogin}, {@link OidcLogin}); here the session is opened, capped per user
 * ({@link SessionLimit}) and checked on refresh ({@link SuspiciousActivity}).
 *
 * <p>Refresh tokens rotate by compare-and-set in the {@link SessionStore}: of concurrent refreshes
 * with one token exactly one rotates; the others, and a duplicate of the token up to
 * {@code app.sessions.refresh-grace} after its rotation, get 409 {@code REFRESH_IN_PROGRESS} and
 * the session stays. A token the session retired earlier is a reuse and ends the session; a token
 * it never issued is refused (401) without touching it.
 *
 * <p>Every login, refresh-token reuse and revocation is audited. Sessions may live in Redis,
 * outside any database transaction, so the order is: act on the session, then record the event
 * durably. When the event cannot be stored the request fails with 503; a login is then undone (no
 * access exists that is not on record).
 */
@Service
class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    static final String STAFF_USER = "StaffUser";
    static final String SESSION = "Session";

    private final UserRepository users;
    private final SessionStore sessions;
    private final SessionRevocation revocation;
    private final SessionLivenessCache liveness;
    private final AccessTokens accessTokens;
    private final SessionSettings settings;
    private final TenantTx tx;
    private final Clock clock;
    private final AuditTrail audit;
    private final SessionLimit limit;
    private final SuspiciousActivity suspicious;
    private final SessionCipher cipher;

    AuthService(UserRepository users, SessionStore sessions, SessionRevocation revocation,
            SessionLivenessCache liveness, AccessTokens accessTokens, SessionSettings settings, TenantTx tx,
            Clock clock, AuditTrail audit, SessionLimit limit, SuspiciousActivity suspicious, SessionCipher cipher) {
        this.users = users;
        this.sessions = sessions;
        this.revocation = revocation;
        this.liveness = liveness;
        this.accessTokens = accessTokens;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.limit = limit;
        this.suspicious = suspicious;
        this.cipher = cipher;
    }

    record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    record Client(String ip, String userAgent) {
    }

    /**
     * Opens a session for a user who has proven who they are (password and, where required, a
     * second factor; or an OpenID Connect provider) and records the login. {@code method} names
     * how they signed in, for the audit trail.
     */
    Tokens signIn(StaffUser user, Client client, String method) {
        Instant now = clock.instant();
        UUID sessionId = io.healthcarebackend.platform.Ids.newId();
        OpaqueToken refresh = OpaqueToken.fresh(user.clinicId(), sessionId);
        sessions.create(new Session(sessionId, user.clinicId(), user.id(), user.role(), refresh.hash(), now, now,
                now.plus(settings.absoluteTimeout()), now.plus(settings.refreshWindow()), client.ip(),
                truncate(client.userAgent()), ClientNetwork.device(client.userAgent()), cipher.network(client.ip()),
                null, List.of(), null));
        try {
            audit.recordDurably(AuditEvent.anonymous(user.clinicId(), AuditAction.LOGIN, AuditOutcome.SUCCESS)
                    .actor(user.id().value(), user.role()).resource(STAFF_USER, user.id().value())
                    .reason("signed in with " + method));
        } catch (RuntimeException e) {
            revocation.undo(user.clinicId(), sessionId);
            throw e;
        }
        log.info("Login succeeded for user {} (session {})", user.id(), sessionId);
        limit.enforce(user.clinicId(), user.id(), user.role(), sessionId);
        return tokens(new CurrentUser(user.id(), user.clinicId(), user.role(), sessionId), refresh);
    }

    Tokens refresh(String token, Client client) {
        OpaqueToken presented = OpaqueToken.parse(token).orElseThrow(AuthService::invalidRefresh);
        Instant now = clock.instant();
        Session session = sessions.find(presented.clinic(), presented.id())
                .filter(s -> s.aliveAt(now))
                .orElseThrow(AuthService::invalidRefresh);
        switch (session.recognise(presented.hash(), now, settings.refreshGrace())) {
            case CURRENT -> {
            }
            case JUST_ROTATED -> throw inProgress();
            case RETIRED -> {
                revocation.end(session.clinicId(), session.id());
                log.warn("Refresh token reuse detected; session {} of user {} revoked", session.id(), session.userId());
                throw reused(session);
            }
            case NEVER_ISSUED -> throw forged(session);
        }
        StaffUser user = tx.readInClinic(session.clinicId(), () -> users.find(session.clinicId(), session.userId()))
                .filter(StaffUser::active)
                .orElse(null);
        if (user == null || user.role() != session.role()) {
            // Inactive, removed, or its role changed while the revocation that goes with a role change
            // did not reach this session (a store outage): a token for either role would be wrong.
            revocation.end(session.clinicId(), session.id());
            audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.SESSION_REVOKED,
                    AuditOutcome.SUCCESS).resource(SESSION, session.id())
                    .reason(user == null ? "account inactive or removed" : "role changed"));
            throw invalidRefresh();
        }
        if (!suspicious.refreshAllowed(session, client)) {
            liveness.evict(session.id());
            throw new ApiException.Unauthorized("REAUTHENTICATION_REQUIRED", "Sign in again: this session was "
                    + "ended because it was used in an unexpected way");
        }
        OpaqueToken next = OpaqueToken.fresh(session.clinicId(), session.id());
        Session.Rotation rotation = new Session.Rotation(session.refreshHash(), next.hash(), now,
                now.plus(settings.refreshWindow()), client.ip(), truncate(client.userAgent()),
                cipher.network(client.ip()));
        if (!sessions.rotate(session.clinicId(), session.id(), rotation)) {
            // The token was current when read and is not now: a request with the same token rotated the
            // session in between (or it ended). A race between the holder's own requests, not a reuse.
            throw sessions.find(session.clinicId(), session.id()).isPresent() ? inProgress() : invalidRefresh();
        }
        return tokens(new CurrentUser(user.id(), user.clinicId(), user.role(), session.id()), next);
    }

    /**
     * A well-formed token naming a live session that never issued it: whoever made it knows the
     * session's id, not its token. Refused like any unknown token, the session left exactly as it
     * was (its owner did nothing wrong), and recorded without an actor: the presenter is unknown.
     */
    private ApiException forged(Session session) {
        log.warn("Refresh token never issued by session {} presented; session untouched", session.id());
        audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.ACCESS_DENIED, AuditOutcome.DENIED)
                .resource(SESSION, session.id()).reason("refresh token never issued for this session; session untouched"));
        return invalidRefresh();
    }

    private static ApiException inProgress() {
        return new ApiException.Conflict("REFRESH_IN_PROGRESS", "This refresh token was just exchanged by another "
                + "request; use the tokens that request received. The session is still valid.");
    }

    /** Records the reuse (the presenter may be a thief: the session and its owner are named) and ends it. */
    private ApiException reused(Session session) {
        audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.REFRESH_TOKEN_REUSE,
                AuditOutcome.DENIED).actor(session.userId().value(), session.role()).resource(SESSION, session.id())
                .reason("refresh token reused; session ended"));
        return new ApiException.Unauthorized("REFRESH_TOKEN_REUSED", "Refresh token was already used; "
                + "the session has been ended");
    }

    private Tokens tokens(CurrentUser user, OpaqueToken refresh) {
        return new Tokens(accessTokens.issue(user), refresh.encode(), "Bearer", accessTokens.ttlSeconds());
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= 256 ? userAgent : userAgent.substring(0, 256);
    }

    private static ApiException invalidRefresh() {
        return new ApiException.Unauthorized("INVALID_REFRESH_TOKEN", "Refresh token is not valid");
    }
}
