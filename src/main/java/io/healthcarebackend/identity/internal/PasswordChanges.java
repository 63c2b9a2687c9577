package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.db.TenantTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The signed-in user changes their own password: the current one is checked like a sign-in
 * ({@link PasswordConfirmation}: same failed-attempt budget, same limits), the new one meets the
 * policy ({@link Passwords#hash}), and every other session of theirs ends at once.
 */
@Service
class PasswordChanges {

    private static final Logger log = LoggerFactory.getLogger(PasswordChanges.class);

    private final PasswordConfirmation confirmation;
    private final UserRepository users;
    private final Passwords passwords;
    private final SessionRevocation sessions;
    private final TenantTx tx;
    private final AuditTrail audit;

    PasswordChanges(PasswordConfirmation confirmation, UserRepository users, Passwords passwords,
            SessionRevocation sessions, TenantTx tx, AuditTrail audit) {
        this.confirmation = confirmation;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.tx = tx;
        this.audit = audit;
    }

    void change(CurrentUser user, String current, String replacement) {
        StaffUser confirmed = confirmation.confirm(user, current, AuditAction.PASSWORD_CHANGED);
        String hash = passwords.hash(replacement, EmailAddress.of(confirmed.email()));
        tx.inClinic(user.clinicId(), () -> {
            users.updatePassword(user.clinicId(), user.id(), hash);
            audit.recordWithChange(AuditEvent.by(user, AuditAction.PASSWORD_CHANGED, AuditOutcome.SUCCESS)
                    .resource(AuthService.STAFF_USER, user.id().value()));
            return null;
        });
        sessions.revokeOthers(user, "password changed");
        log.info("User {} changed their password; other sessions ended", user.id());
    }
}
