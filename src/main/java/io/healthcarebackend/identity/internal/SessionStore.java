package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
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

    /** Compare-and-set rotation: succeeds only if the stored hash is still {@code expectedHash}. */
    boolean rotate(ClinicId clinic, UUID id, byte[] expectedHash, byte[] newHash, Instant now, Instant idleExpiresAt);

    void revoke(ClinicId clinic, UUID id);

    /** Revokes every session of the user and returns their ids. */
    List<UUID> revokeAll(ClinicId clinic, UserId user);

    List<Session> listOf(ClinicId clinic, UserId user);

    boolean isActive(ClinicId clinic, UUID id, Instant now);

    /** Removes expired sessions; returns how many (stores that expire by themselves return 0). */
    int purgeExpired();
}
