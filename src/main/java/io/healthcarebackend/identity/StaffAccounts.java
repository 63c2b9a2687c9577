package io.healthcarebackend.identity;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.util.Optional;

/** The identity module's public API for other modules (e.g. seeding): staff accounts. */
public interface StaffAccounts {

    /** Creates a staff user; {@code clinic} is null only for {@link Role#PLATFORM_ADMIN}. */
    UserId create(ClinicId clinic, String email, String name, Role role, String password);

    /** Finds a user of the clinic by e-mail, in any spelling of it ({@link io.healthcarebackend.platform.EmailAddress}). */
    Optional<UserId> findByEmail(ClinicId clinic, String email);
}
