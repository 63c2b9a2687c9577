package io.healthcarebackend.scheduling.internal;

/** Appointment states. Active ones block their time slot. */
enum AppointmentStatus {
    BOOKED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW;

    boolean active() {
        return this == BOOKED || this == CHECKED_IN;
    }
}
