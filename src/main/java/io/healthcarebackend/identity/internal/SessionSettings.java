package io.healthcarebackend.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Refresh sessions: idle timeout (automatic logoff), absolute lifetime, how many a user may hold,
 * how long a refresh token may go unrotated, the key that encrypts session data at rest, what
 * counts as suspicious, and {@code refreshGrace}: for how long after a rotation the token it
 * retired is answered 409 {@code REFRESH_IN_PROGRESS} (a concurrent duplicate: two tabs, a retry)
 * rather than treated as a reuse that ends the session.
 */
@ConfigurationProperties("app.sessions")
record SessionSettings(Duration idleTimeout, Duration absoluteTimeout, @DefaultValue("5") int maxPerUser,
        @DefaultValue("30m") Duration rotationInterval, String dataKey, @DefaultValue Suspicious suspicious,
        @DefaultValue("10s") Duration refreshGrace) {

    SessionSettings {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("app.sessions.max-per-user must be at least 1");
        }
    }

    /**
     * How long a refresh token stays valid unused: the idle timeout, but never longer than the
     * rotation interval, so no refresh token lives unrotated past it whatever the idle setting.
     */
    Duration refreshWindow() {
        return idleTimeout.compareTo(rotationInterval) < 0 ? idleTimeout : rotationInterval;
    }

    /**
     * @param requireReauthentication end a session flagged as suspicious (the user signs in again)
     *     instead of only recording it
     * @param concurrentWindow a session used from two networks within this window is "at once"
     * @param failureBurst this many failed logins of one account within {@code failureWindow} is a burst
     */
    record Suspicious(@DefaultValue("true") boolean requireReauthentication,
            @DefaultValue("2m") Duration concurrentWindow, @DefaultValue("5") int failureBurst,
            @DefaultValue("5m") Duration failureWindow) {
    }
}
