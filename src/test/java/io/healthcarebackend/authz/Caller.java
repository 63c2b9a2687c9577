package io.healthcarebackend.authz;

import io.healthcarebackend.platform.Role;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of caller every route is tried with: one signed-in user per role (of clinic A, or no
 * clinic for the platform administrator), nobody, a token that has expired, a token signed by a
 * key the service does not know, and a user of another clinic (B) reaching for clinic A's data.
 * Each is one column of the matrix, named exactly like the constant.
 */
enum Caller {
    PLATFORM_ADMIN(Role.PLATFORM_ADMIN),
    CLINIC_ADMIN(Role.CLINIC_ADMIN),
    PRACTITIONER(Role.PRACTITIONER),
    RECEPTIONIST(Role.RECEPTIONIST),
    COMPLIANCE_OFFICER(Role.COMPLIANCE_OFFICER),
    ANONYMOUS(null),
    EXPIRED_TOKEN(null),
    UNKNOWN_KEY(null),
    OTHER_CLINIC(null);

    private final Role role;

    Caller(Role role) {
        this.role = role;
    }

    Optional<Role> role() {
        return Optional.ofNullable(role);
    }

    /** The caller of a role, if the matrix has a column for it (a new role needs one). */
    static Optional<Caller> of(Role role) {
        return Arrays.stream(values()).filter(c -> c.role == role).findFirst();
    }

    /** A staff role of a clinic (every role but the platform administrator). */
    boolean isClinicRole() {
        return role != null && role != Role.PLATFORM_ADMIN;
    }
}
