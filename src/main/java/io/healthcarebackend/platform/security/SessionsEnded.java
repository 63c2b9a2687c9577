package io.healthcarebackend.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Published (synchronously, as a Spring application event) by identity whenever sessions end on
 * this instance: logout, revocation by the user or an admin, the session limit, deactivation, a
 * role change, a refresh-token reuse. Whatever holds access beyond one request — an open stream —
 * ends with its session ({@code platform.stream.AccessBoundStreams}), here at once and on other
 * instances through Redis.
 */
public record SessionsEnded(List<UUID> sessionIds) {

    public SessionsEnded {
        sessionIds = List.copyOf(Objects.requireNonNull(sessionIds, "sessionIds"));
    }

    public static SessionsEnded of(Collection<UUID> sessionIds) {
        return new SessionsEnded(List.copyOf(sessionIds));
    }
}
