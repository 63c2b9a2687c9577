package io.healthcarebackend.platform;

import java.util.Objects;
import java.util.UUID;

/**
 * The authenticated staff member of a request, taken from a verified access token.
 * {@code clinicId} is null only for platform administrators.
 */
public record CurrentUser(UserId id, ClinicId clinicId, Role role, UUID sessionId) {

    public CurrentUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionId, "sessionId");
        if ((clinicId == null) != (role == Role.PLATFORM_ADMIN)) {
            throw new IllegalArgumentException("only platform admins have no clinic");
        }
    }

    /** The clinic of a clinic-bound user; platform admins have none and are refused here. */
    public ClinicId clinic() {
        if (clinicId == null) {
            throw new ApiException.Forbidden();
        }
        return clinicId;
    }

    /**
     * A clinic named in a request's path, if this user may act on it: platform admins on any, staff
     * on their own only — another clinic answers 404, exactly like one that does not exist.
     */
    public ClinicId mayActOn(UUID clinicId) {
        ClinicId named = new ClinicId(clinicId);
        if (!is(Role.PLATFORM_ADMIN) && !named.equals(this.clinicId)) {
            throw new ApiException.NotFound("Clinic");
        }
        return named;
    }

    public boolean is(Role other) {
        return role == other;
    }
}
