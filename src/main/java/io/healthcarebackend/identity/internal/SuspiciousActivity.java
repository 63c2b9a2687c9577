package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.CurrentUser;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Spots sessions that may be in the wrong hands, flags them, records why and — unless configured
 * to only record ({@code SESSION_SUSPICIOUS_REAUTHENTICATE=false}) — ends them so the user signs
 * in again:
 * <ul>
 * <li>a refresh from a new network <em>and</em> a new device (a stolen refresh token used
 * elsewhere; one of the two alone is a user on the move or a browser update);
 * <li>a session used from two networks at once (within {@code concurrent-window});
 * <li>a burst of failed logins on one account ({@link FailedLogins}): recorded, never ends
 * sessions, since an attacker could otherwise sign a real user out at will.
 * </ul>
 */
@Component
class SuspiciousActivity {

    private static final Logger log = LoggerFactory.getLogger(SuspiciousActivity.class);
    static final String TWO_NETWORKS = "used from two networks at once";
    static final String NEW_NETWORK_AND_DEVICE = "refresh from a new network and a new device";

    private final SessionStore sessions;
    private final SessionCipher cipher;
    private final SessionSettings settings;
    private final AuditTrail audit;

    SuspiciousActivity(SessionStore sessions, SessionCipher cipher, SessionSettings settings, AuditTrail audit) {
        this.sessions = sessions;
        this.cipher = cipher;
        this.settings = settings;
        this.audit = audit;
    }

    /** A request of {@code user} came from another network than one a moment ago. Whether it may go on. */
    boolean usedFromTwoNetworksAtOnce(CurrentUser user) {
        boolean end = react(user, TWO_NETWORKS);
        try {
            audit.recordDurably(AuditEvent.by(user, AuditAction.SUSPICIOUS_ACTIVITY, outcome(end))
                    .resource(AuthService.SESSION, user.sessionId()).reason(reason(TWO_NETWORKS, end)));
        } catch (RuntimeException e) {
            // Not on record: the request is refused rather than served unrecorded.
            log.error("Suspicious use of session {} could not be audited; request refused", user.sessionId(), e);
            return false;
        }
        return !end;
    }

    /**
     * Checked on refresh, before rotating: whether the refresh may go on. The session's device and
     * last network are compared with the request's.
     */
    boolean refreshAllowed(Session session, AuthService.Client client) {
        String network = cipher.network(client.ip());
        String device = ClientNetwork.device(client.userAgent());
        boolean newNetwork = network != null && session.network() != null && !network.equals(session.network());
        boolean newDevice = session.device() != null && !Objects.equals(device, session.device());
        if (!newNetwork || !newDevice) {
            return true;
        }
        CurrentUser owner = new CurrentUser(session.userId(), session.clinicId(), session.role(), session.id());
        boolean end = react(owner, NEW_NETWORK_AND_DEVICE);
        audit.recordDurably(AuditEvent.anonymous(session.clinicId(), AuditAction.SUSPICIOUS_ACTIVITY, outcome(end))
                .actor(session.userId().value(), session.role()).resource(AuthService.SESSION, session.id())
                .reason(reason(NEW_NETWORK_AND_DEVICE, end)));
        return !end;
    }

    /** A burst of failed logins reached the threshold for this account: on record, nothing else. */
    void failedLoginBurst(StaffUser user, int failures) {
        log.warn("Burst of {} failed logins for user {}", failures, user.id());
        audit.recordDurably(AuditEvent.anonymous(user.clinicId(), AuditAction.SUSPICIOUS_ACTIVITY,
                AuditOutcome.FAILURE).resource(AuthService.STAFF_USER, user.id().value())
                .reason(failures + " failed logins within " + settings.suspicious().failureWindow()));
    }

    private boolean react(CurrentUser user, String why) {
        boolean end = settings.suspicious().requireReauthentication();
        sessions.flag(user.clinicId(), user.sessionId(), why);
        if (end) {
            sessions.revoke(user.clinicId(), user.sessionId());
        }
        log.warn("Session {} of user {} {}: {}", user.sessionId(), user.id(), why,
                end ? "ended, the user must sign in again" : "flagged");
        return end;
    }

    private static AuditOutcome outcome(boolean ended) {
        return ended ? AuditOutcome.DENIED : AuditOutcome.SUCCESS;
    }

    private static String reason(String why, boolean ended) {
        return why + (ended ? "; session ended, re-authentication required" : "; session flagged");
    }
}
