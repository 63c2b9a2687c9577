package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;

/**
 * Tells whether the server-side session behind an access token is still alive, so logout and
 * deactivation take effect at once although access tokens are stateless. Implemented by identity.
 */
public interface SessionLiveness {

    boolean isActive(CurrentUser user);
}
