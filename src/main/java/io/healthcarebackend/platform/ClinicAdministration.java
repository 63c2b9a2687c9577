package io.healthcarebackend.platform;

import java.util.UUID;

/**
 * Who may change a clinic's administration (its users, its security and retention settings): the
 * clinic's own administrators, and a platform administrator only while it holds a support grant
 * the clinic's administrator approved and that has not run out. Never a way to PHI.
 */
public interface ClinicAdministration {

    /**
     * The clinic named in a request's path, if {@code user} may change its administration now:
     * staff of another clinic get 404 (like a clinic that does not exist), a platform administrator
     * without an active grant 403 {@code SUPPORT_GRANT_REQUIRED}. A platform administrator's use of
     * a grant is on the clinic's audit trail, with the {@code operation}, before this returns.
     */
    ClinicId mayAdminister(CurrentUser user, UUID clinicId, String operation);
}
