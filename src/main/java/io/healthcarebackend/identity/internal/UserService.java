package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.identity.StaffAccounts;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.platform.db.TenantTx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Staff accounts. Every change is audited in the transaction that makes it, with the acting admin
 * (none for start-up seeding) and the account's id; an admin's attempt that is refused is audited
 * in a transaction of its own, since the change's transaction never commits.
 */
@Service
class UserService implements StaffAccounts {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);

    private final UserRepository users;
    private final Passwords passwords;
    private final SessionRevocation sessions;
    private final TenantTx tx;
    private final AuditTrail audit;

    UserService(UserRepository users, Passwords passwords, SessionRevocation sessions, TenantTx tx, AuditTrail audit) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.tx = tx;
        this.audit = audit;
    }

    /** Start-up seeding and bootstrap: no signed-in actor, so the event names none. */
    @Override
    public UserId create(ClinicId clinic, String email, String name, Role role, String password) {
        return insert(null, clinic, email, name, role, password);
    }

    /**
     * An admin adding a user over the API. With {@code firstOnly} (a platform administrator without
     * a support grant) the clinic must have no user yet: checked under a lock on the clinic's row,
     * so two such requests cannot both create a "first" administrator.
     */
    UserId create(CurrentUser admin, ClinicId clinic, String email, String name, Role role, String password,
            boolean firstOnly) {
        try {
            return insert(admin, clinic, email, name, role, password, firstOnly);
        } catch (ApiException e) {
            recordRefused(admin, List.of(AuditAction.USER_CREATED), null, e);
            throw e;
        }
    }

    /** Whether the clinic has no staff user yet (so a platform administrator may create its first administrator). */
    boolean hasNoUsers(ClinicId clinic) {
        return tx.readInClinic(clinic, () -> !users.anyIn(clinic));
    }

    private UserId insert(CurrentUser admin, ClinicId clinic, String email, String name, Role role,
            String password) {
        return insert(admin, clinic, email, name, role, password, false);
    }

    private UserId insert(CurrentUser admin, ClinicId clinic, String email, String name, Role role,
            String password, boolean firstOnly) {
        if ((clinic == null) != (role == Role.PLATFORM_ADMIN)) {
            throw new ApiException.BadRequest("INVALID_ROLE", "role PLATFORM_ADMIN belongs to no clinic");
        }
        EmailAddress address = EmailAddress.of(email);
        if (!address.storable()) {
            throw new ApiException.BadRequest("VALIDATION_FAILED", "email is too long once normalised");
        }
        String hash = passwords.hash(password, address);
        UserId id = new UserId(Ids.newId());
        try {
            tx.inClinic(clinic, () -> {
                if (firstOnly && !users.lockClinicWithoutUsers(clinic)) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "SUPPORT_GRANT_REQUIRED",
                            "The clinic has users already; adding more needs an approved support grant");
                }
                users.insert(new StaffUser(id, clinic, address.value(), name.strip(), role,
                        hash, true));
                audit.recordWithChange(event(admin, clinic, AuditAction.USER_CREATED, AuditOutcome.SUCCESS)
                        .resource(AuthService.STAFF_USER, id.value()).reason("role " + role));
                return null;
            });
        } catch (DataIntegrityViolationException e) {
            // E-mails are unique per clinic (V17): a taken one is this clinic's own user, never another's.
            if (PgErrors.is(e, PgErrors.UNIQUE_VIOLATION)) {
                throw new ApiException.Conflict("EMAIL_TAKEN", "A user of this clinic has this e-mail already");
            }
            if (PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION)) {
                throw new ApiException.NotFound("Clinic");
            }
            throw e;
        }
        log.info("User {} created with role {} in clinic {}", id, role, clinic);
        return id;
    }

    @Override
    public Optional<UserId> findByEmail(ClinicId clinic, String email) {
        return tx.readInClinic(clinic, () -> users.findByEmail(clinic, EmailAddress.of(email)).map(StaffUser::id));
    }

    List<StaffUser> page(ClinicId clinic, UUID after, int limit) {
        return tx.readInClinic(clinic, () -> users.page(clinic, after, limit));
    }

    StaffUser update(CurrentUser admin, ClinicId clinic, UserId id, Role role, Boolean active) {
        StaffUser updated;
        try {
            updated = change(admin, clinic, id, role, active);
        } catch (ApiException e) {
            recordRefused(admin, requested(role, active), id, e);
            throw e;
        }
        // A deactivated user, or one whose role changed, keeps no session signed with the old rights.
        if (!updated.active() || role != null) {
            sessions.revokeAllOf(admin, clinic, id, updated.active() ? "role updated" : "user deactivated");
            log.info("Sessions of user {} revoked after an account change", id);
        }
        return updated;
    }

    private StaffUser change(CurrentUser admin, ClinicId clinic, UserId id, Role role, Boolean active) {
        if (role == Role.PLATFORM_ADMIN) {
            throw new ApiException.BadRequest("INVALID_ROLE", "role PLATFORM_ADMIN belongs to no clinic");
        }
        return tx.inClinic(clinic, () -> {
            StaffUser current = users.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("User"));
            Role newRole = role == null ? current.role() : role;
            boolean newActive = active == null ? current.active() : active;
            users.update(clinic, id, newRole, newActive);
            if (newRole != current.role()) {
                record(admin, clinic, AuditAction.ROLE_CHANGED, id, "from " + current.role() + " to " + newRole);
            }
            if (current.active() && !newActive) {
                record(admin, clinic, AuditAction.USER_DEACTIVATED, id, null);
            } else if (!current.active() && newActive) {
                record(admin, clinic, AuditAction.USER_REACTIVATED, id, null);
            }
            return new StaffUser(id, clinic, current.email(), current.name(), newRole, current.passwordHash(),
                    newActive);
        });
    }

    private void record(CurrentUser admin, ClinicId clinic, AuditAction action, UserId user, String reason) {
        audit.recordWithChange(event(admin, clinic, action, AuditOutcome.SUCCESS)
                .resource(AuthService.STAFF_USER, user.value()).reason(reason));
    }

    /**
     * An admin action the service refused (not found, taken e-mail, invalid role): recorded in the
     * admin's own clinic, since nothing changed in the target's. An unavailable audit store is not
     * retried: the request already fails with 503.
     */
    private void recordRefused(CurrentUser admin, List<AuditAction> actions, UserId user, ApiException refusal) {
        // A refusal (403) is audited as ACCESS_DENIED by the problem handler, like every other one.
        if (refusal.status() == HttpStatus.SERVICE_UNAVAILABLE || refusal.status() == HttpStatus.FORBIDDEN) {
            return;
        }
        AuditOutcome outcome = refusal.status() == HttpStatus.FORBIDDEN ? AuditOutcome.DENIED : AuditOutcome.FAILURE;
        audit.recordDurably(actions.stream()
                .map(action -> AuditEvent.by(admin, action, outcome)
                        .resource(AuthService.STAFF_USER, user == null ? null : user.value()).reason(refusal.code()))
                .toList());
    }

    private static List<AuditAction> requested(Role role, Boolean active) {
        List<AuditAction> actions = new ArrayList<>();
        if (role != null) {
            actions.add(AuditAction.ROLE_CHANGED);
        }
        if (active != null) {
            actions.add(active ? AuditAction.USER_REACTIVATED : AuditAction.USER_DEACTIVATED);
        }
        return actions;
    }

    /** In the clinic whose account changes (a platform admin acts on a clinic's first admin). */
    private static AuditEvent event(CurrentUser admin, ClinicId clinic, AuditAction action, AuditOutcome outcome) {
        AuditEvent event = AuditEvent.anonymous(clinic, action, outcome);
        return admin == null ? event : event.actor(admin.id().value(), admin.role());
    }
}
