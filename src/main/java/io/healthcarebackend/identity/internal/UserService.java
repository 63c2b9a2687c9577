package io.healthcarebackend.identity.internal;

import io.healthcarebackend.identity.StaffAccounts;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.PgErrors;
import io.healthcarebackend.platform.db.TenantTx;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

@Service
class UserService implements StaffAccounts {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);

    private final UserRepository users;
    private final Passwords passwords;
    private final AuthService auth;
    private final TenantTx tx;

    UserService(UserRepository users, Passwords passwords, AuthService auth, TenantTx tx) {
        this.users = users;
        this.passwords = passwords;
        this.auth = auth;
        this.tx = tx;
    }

    @Override
    public UserId create(ClinicId clinic, String email, String name, Role role, String password) {
        if ((clinic == null) != (role == Role.PLATFORM_ADMIN)) {
            throw new ApiException.BadRequest("INVALID_ROLE", "role PLATFORM_ADMIN belongs to no clinic");
        }
        String hash = passwords.hash(password);
        UserId id = new UserId(Ids.newId());
        try {
            tx.inClinic(clinic, () -> {
                users.insert(new StaffUser(id, clinic, email.strip().toLowerCase(Locale.ROOT), name.strip(), role,
                        hash, true));
                return null;
            });
        } catch (DataIntegrityViolationException e) {
            if (PgErrors.is(e, PgErrors.UNIQUE_VIOLATION)) {
                throw new ApiException.Conflict("EMAIL_TAKEN", "A user with this e-mail already exists");
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
        return tx.readInClinic(clinic, () -> users.findByEmail(clinic, email).map(StaffUser::id));
    }

    List<StaffUser> page(ClinicId clinic, UUID after, int limit) {
        return tx.readInClinic(clinic, () -> users.page(clinic, after, limit));
    }

    StaffUser update(ClinicId clinic, UserId id, Role role, Boolean active) {
        if (role == Role.PLATFORM_ADMIN) {
            throw new ApiException.BadRequest("INVALID_ROLE", "role PLATFORM_ADMIN belongs to no clinic");
        }
        StaffUser updated = tx.inClinic(clinic, () -> {
            StaffUser current = users.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("User"));
            Role newRole = role == null ? current.role() : role;
            boolean newActive = active == null ? current.active() : active;
            users.update(clinic, id, newRole, newActive);
            return new StaffUser(id, clinic, current.email(), current.name(), newRole, current.passwordHash(),
                    newActive);
        });
        // A deactivated user, or one whose role changed, keeps no session signed with the old rights.
        if (!updated.active() || role != null) {
            auth.revokeAllOf(clinic, id);
            log.info("Sessions of user {} revoked after an account change", id);
        }
        return updated;
    }
}
