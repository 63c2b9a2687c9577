package io.healthcarebackend.notification.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.events-stream} in application.yml (README "Real-time updates").
 *
 * @param heartbeat      how often a stream gets a comment line (keeps proxies from closing it, and
 *                       finds a client gone); its session is watched by {@code app.streams}
 * @param maxConnections open streams one instance accepts (503 past it; also capped by the heap)
 * @param maxPerUser     open streams one user may hold on one instance (429
 *                       {@code EVENT_STREAMS_PER_USER_EXCEEDED} past it)
 * @param retention      events kept per clinic for resuming with {@code Last-Event-ID}
 * @param retentionTime  and for no longer than this: a client further behind gets a reset
 */
@ConfigurationProperties("app.events-stream")
record StreamSettings(Duration heartbeat, int maxConnections, int maxPerUser, int retention, Duration retentionTime) {

    /**
     * A clinic's log (in Redis: an empty stream still knows its head) is dropped after this long
     * without events; a client resuming after that gets a reset. Long, so that the screens of a
     * quiet clinic, which reconnect every few minutes with the clinic's head, are not reset.
     */
    static final Duration QUIET_CLINIC_EXPIRY = Duration.ofDays(7);

    StreamSettings {
        heartbeat = heartbeat == null ? Duration.ofSeconds(20) : heartbeat;
        maxConnections = maxConnections <= 0 ? 20_000 : maxConnections;
        maxPerUser = maxPerUser <= 0 ? 20 : maxPerUser;
        retention = retention <= 0 ? 1_000 : retention;
        retentionTime = retentionTime == null ? Duration.ofHours(1) : retentionTime;
        if (heartbeat.isNegative() || heartbeat.isZero() || retentionTime.isNegative() || retentionTime.isZero()) {
            throw new IllegalArgumentException("app.events-stream: heartbeat and retention-time must be positive");
        }
    }
}
