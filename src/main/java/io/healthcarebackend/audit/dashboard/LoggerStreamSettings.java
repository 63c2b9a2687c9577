package io.healthcarebackend.audit.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.logger} in application.yml.
 *
 * @param streamMaxPerUser open live tails ({@code GET /logger/api/stream}) one user may hold on one
 *                         instance (429 {@code LOGGER_STREAMS_PER_USER_EXCEEDED} past it)
 * @param streamHeartbeat  a comment line on an idle tail this often: keeps proxies from closing it
 *                         and finds a viewer gone (whose place under the cap is then given back)
 */
@ConfigurationProperties("app.logger")
record LoggerStreamSettings(int streamMaxPerUser, Duration streamHeartbeat) {

    LoggerStreamSettings {
        streamMaxPerUser = streamMaxPerUser <= 0 ? 5 : streamMaxPerUser;
        streamHeartbeat = streamHeartbeat == null || !streamHeartbeat.isPositive() ? Duration.ofSeconds(15)
                : streamHeartbeat;
    }
}
