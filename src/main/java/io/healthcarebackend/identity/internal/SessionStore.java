package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where sessions live: Redis when configured (shared by all instances), PostgreSQL otherwise.
 * Every method names the clinic first (null for platform admins) so the PostgreSQL store can run
 * under row-level security.
 */
interface SessionStore {

    void create(Session session);

    Optional<Session> find(ClinicId clinic, UUID id);

    /** Compare-and-set rotation: succeeds only if the stored hash is still the expected one. */
    boolean rotate(ClinicId clinic, UUID id, Session.Rotation rotation);

    void revoke(ClinicId clinic, UUID id);

    /** Revokes every session of the user and returns their ids. */
    List<UUID> revokeAll(ClinicId clinic, UserId user);

    /** The user's live sessions, oldest first. */
    List<Session> listOf(ClinicId clinic, UserId user);

    /**
     * Whether the session an access token names is alive and is the token's: same user, clinic and
     * role as the session record (else {@link Session.Liveness#GONE}, the record untouched). Notes
     * the network it is used from now (a keyed hash, may be null):
     * {@link Session.Liveness#OTHER_NETWORK_AT_ONCE} when another network used it less than
     * {@code window} ago and the session is not flagged yet.
     */
    Session.Liveness touch(CurrentUser token, String network, Instant now, Duration window);

    /** Marks the session as suspicious, with the reason. */
    void flag(ClinicId clinic, UUID id, String reason);

    /** Removes expired sessions and stale index entries; returns how many. */
    int purgeExpired();
}
