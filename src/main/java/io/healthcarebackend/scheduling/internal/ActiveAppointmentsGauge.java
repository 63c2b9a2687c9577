package io.healthcarebackend.scheduling.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code healthcare_appointments_active}: booked or checked-in appointments that have not ended,
 * across all clinics: the autoscaling signal of requirement D6. Refreshed every 15 s from a partial
 * index of not-yet-ended appointments (so its cost does not grow with history) rather than counted
 * per scrape, so scrapes cost nothing.
 */
@Component
class ActiveAppointmentsGauge {

    private final JdbcClient jdbc;
    private final AtomicLong active = new AtomicLong();

    ActiveAppointmentsGauge(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        Gauge.builder("healthcare.appointments.active", active, AtomicLong::get)
                .description("Appointments BOOKED or CHECKED_IN that have not ended yet, all clinics")
                .register(registry);
    }

    @Scheduled(fixedDelayString = "${app.metrics.active-appointments-interval:PT15S}", initialDelay = 0)
    void refresh() {
        active.set(jdbc.sql("select active_appointments_count()").query(Long.class).single());
    }
}
