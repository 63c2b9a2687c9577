package io.healthcarebackend.notification.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.events-stream} in application.yml (README "Real-time updates").
 *
 * @param heartbeat      how often an idle stream gets a comment line and its session is re-checked
 * @param maxConnections open streams one instance accepts (503 past it)
 * @param maxPerUser     open streams one user may hold on one instance (429 past it)
 * @param retention      events kept per clinic for resuming with {@code Last-Event-ID}
 * @param idleExpiry     a clinic's retained events are dropped this long after its last event
 */
@ConfigurationProperties("app.events-stream")
record StreamSettings(Duration heartbeat, int maxConnections, int maxPerUser, int retention, Duration idleExpiry) {

    StreamSettings {
        heartbeat = heartbeat == null ? Duration.ofSeconds(20) : heartbeat;
        maxConnections = maxConnections <= 0 ? 20_000 : maxConnections;
        maxPerUser = maxPerUser <= 0 ? 20 : maxPerUser;
        retention = retention <= 0 ? 1_000 : retention;
        idleExpiry = idleExpiry == null ? Duration.ofHours(24) : idleExpiry;
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("app.events-stream.heartbeat must be positive");
        }
    }
}
