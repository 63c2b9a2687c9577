package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * At most {@code SESSION_MAX_PER_USER} live sessions per user: a new sign-in past the limit ends
 * the oldest ones (by creation), each eviction on record.
 */
@Component
class SessionLimit {

    private static final Logger log = LoggerFactory.getLogger(SessionLimit.class);

    private final SessionStore sessions;
    private final SessionRevocation revocation;
    private final SessionSettings settings;
    private final AuditTrail audit;

    SessionLimit(SessionStore sessions, SessionRevocation revocation, SessionSettings settings, AuditTrail audit) {
        this.sessions = sessions;
        this.revocation = revocation;
        this.settings = settings;
        this.audit = audit;
    }

    /** Evicts the oldest sessions of the user beyond the limit, never {@code keep} (the new one). */
    void enforce(ClinicId clinic, UserId user, Role role, UUID keep) {
        List<Session> live = sessions.listOf(clinic, user);
        int excess = live.size() - settings.maxPerUser();
        if (excess <= 0) {
            return;
        }
        List<UUID> evicted = live.stream().map(Session::id).filter(id -> !id.equals(keep)).limit(excess).toList();
        evicted.forEach(id -> revocation.end(clinic, id));
        log.info("User {} reached {} sessions; {} oldest ended", user, settings.maxPerUser(), evicted.size());
        audit.recordDurably(evicted.stream()
                .map(id -> AuditEvent.anonymous(clinic, AuditAction.SESSION_REVOKED, AuditOutcome.SUCCESS)
                        .actor(user.value(), role).resource(AuthService.SESSION, id)
                        .reason("session limit of " + settings.maxPerUser() + " reached; oldest session evicted"))
                .toList());
    }
}
