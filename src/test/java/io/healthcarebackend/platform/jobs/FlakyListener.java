package io.healthcarebackend.platform.jobs;

import io.healthcarebackend.scheduling.AppointmentEvents.AppointmentBooked;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * A listener that fails (as a crash between commit and delivery would leave it) while the
 * appointment's clinic is in {@link #FAILING}, and records each appointment it completed.
 */
@TestConfiguration
class FlakyListener {

    static final Set<UUID> FAILING = ConcurrentHashMap.newKeySet();
    static final Set<UUID> RECEIVED = ConcurrentHashMap.newKeySet();

    @ApplicationModuleListener
    void on(AppointmentBooked booked) {
        if (FAILING.contains(booked.clinicId())) {
            throw new IllegalStateException("listener unavailable");
        }
        RECEIVED.add(booked.appointmentId());
    }
}
