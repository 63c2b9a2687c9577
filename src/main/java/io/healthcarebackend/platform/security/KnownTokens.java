package io.healthcarebackend.platform.security;

/**
 * A token decoder that remembers the access tokens it has verified, so a request carrying one is
 * known to authenticate without a signature check. The rate limiter then counts the request's
 * per-address rules together with its per-user and per-clinic ones, after authentication, in one call.
 */
public interface KnownTokens {

    /** Whether this exact token was verified before and has not expired. */
    boolean isKnown(String token);
}
