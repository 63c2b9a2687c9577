package io.healthcarebackend.identity.internal;

import static io.healthcarebackend.identity.internal.AuthService.SESSION;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ending sessions: logout, a user or clinic admin ending one, account changes ending all or the
 * others, and the hourly cleanup. Each end is evicted from this instance's liveness cache at once
 * (other instances see it within a second) and recorded, one event per session. Sessions may live
 * in Redis, outside any transaction: the session is ended first, then the event recorded — undoing
 * an end would hand back access.
 */
@Component
class SessionRevocation {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocation.class);

    private final SessionStore sessions;
    private final SessionLivenessCache liveness;
    private final AuditTrail audit;

    SessionRevocation(SessionStore sessions, SessionLivenessCache liveness, AuditTrail audit) {
        this.sessions = sessions;
        this.liveness = liveness;
        this.audit = audit;
    }

    void logout(CurrentUser user) {
        end(user.clinicId(), user.sessionId());
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
        end(session.clinicId(), session.id());
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

    /** Ends one session, here at once and on other instances within a second. */
    void end(ClinicId clinic, UUID id) {
        sessions.revoke(clinic, id);
        liveness.evict(id);
    }

    /** A session whose login could not be audited must not stay usable. */
    void undo(ClinicId clinic, UUID id) {
        try {
            end(clinic, id);
        } catch (RuntimeException e) {
            log.error("Session {} could not be removed after its login failed to be audited", id, e);
        }
    }
}
