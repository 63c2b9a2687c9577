package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;

/**
 * Tells whether the server-side session behind an access token is still alive and is the token's
 * (same user, clinic and role as the session record), so logout, deactivation and role changes take
 * effect at once although access tokens are stateless. Implemented by identity, which also watches
 * where the session is used from ({@code clientIp}, may be null). While the session store is
 * unreachable the answer is "alive" unless the session is known to have ended: revocation then holds
 * within the access token's lifetime instead of at once.
 */
public interface SessionLiveness {

    boolean isActive(CurrentUser user, String clientIp);
}
