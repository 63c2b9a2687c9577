package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;

/**
 * Tells whether the server-side session behind an access token is still alive, so logout and
 * deactivation take effect at once although access tokens are stateless. Implemented by identity,
 * which also watches where the session is used from ({@code clientIp}, may be null).
 */
public interface SessionLiveness {

    boolean isActive(CurrentUser user, String clientIp);
}
