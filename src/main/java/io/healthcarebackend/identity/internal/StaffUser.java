package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;

/** A staff account as stored (the password hash never leaves this package). */
record StaffUser(UserId id, ClinicId clinicId, String email, String name, Role role, String passwordHash,
        boolean active) {
}
