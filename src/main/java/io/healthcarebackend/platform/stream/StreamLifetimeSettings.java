package io.healthcarebackend.platform.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.streams} in application.yml.
 *
 * @param sessionCheck  how often the session of every open stream is re-checked against the session
 *                      store: the backstop for what no signal reports (idle and absolute timeouts, a
 *                      signal lost while Redis was unreachable); one store call per open session per
 *                      interval, spread over the interval
 * @param recentlyEnded how long an ended session is remembered, so a stream opened with its token
 *                      just after the end (another instance's liveness cache may hold it for a
 *                      second) ends at once; longer than that cache's lifetime
 */
@ConfigurationProperties("app.streams")
record StreamLifetimeSettings(Duration sessionCheck, Duration recentlyEnded) {

    StreamLifetimeSettings {
        sessionCheck = sessionCheck == null ? Duration.ofSeconds(15) : sessionCheck;
        recentlyEnded = recentlyEnded == null ? Duration.ofSeconds(30) : recentlyEnded;
        if (!sessionCheck.isPositive() || !recentlyEnded.isPositive()) {
            throw new IllegalArgumentException("app.streams: session-check and recently-ended must be positive");
        }
    }
}
