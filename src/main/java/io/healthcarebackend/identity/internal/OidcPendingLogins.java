package io.healthcarebackend.identity.internal;

import java.util.Optional;

/**
 * Where started sign-ins wait: Redis when configured (any instance may receive the callback),
 * PostgreSQL otherwise. Keyed by the SHA-256 of the state; {@link #take} is atomic, so a state
 * works once, also under concurrent callbacks on many instances.
 */
interface OidcPendingLogins {

    void save(byte[] stateHash, OidcPendingLogin login);

    /** Removes and returns the sign-in; empty when unknown or already taken (expiry is the caller's check). */
    Optional<OidcPendingLogin> take(byte[] stateHash);
}
