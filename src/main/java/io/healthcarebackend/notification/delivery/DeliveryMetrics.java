package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.notification.channel.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * {@code healthcare_notifications_total{kind, channel, outcome}} (sent, retry, rejected, skipped,
 * obsolete) and {@code healthcare_reminder_lag_seconds{kind}}: from the time a message was due
 * (after quiet hours) to the provider's acceptance.
 */
@Component
class DeliveryMetrics {

    private final MeterRegistry meters;

    DeliveryMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void sent(Notice notice, Channel channel, Instant now) {
        outcome(notice, channel, "sent");
        Duration lag = Duration.between(notice.due(), now);
        Timer.builder("healthcare_reminder_lag").tag("kind", notice.kind().name())
                .publishPercentileHistogram().register(meters).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void outcome(Notice notice, Channel channel, String outcome) {
        meters.counter("healthcare_notifications_total", "kind", notice.kind().name(), "channel",
                channel == null ? "none" : channel.name(), "outcome", outcome).increment();
    }

    void obsolete(Notice notice) {
        outcome(notice, null, "obsolete");
    }
}
