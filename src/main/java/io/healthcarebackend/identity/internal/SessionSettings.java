package io.healthcarebackend.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Refresh-session lifetimes: idle timeout (automatic logoff) and absolute lifetime. */
@ConfigurationProperties("app.sessions")
record SessionSettings(Duration idleTimeout, Duration absoluteTimeout) {
}
