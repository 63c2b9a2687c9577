package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.patient.PatientErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Erasing a patient cancels their future appointments, synchronously in the erasure's transaction
 * (a plain listener, not an after-commit one): the erasure and the cancellations commit together.
 * Each cancellation goes the ordinary way: audited, its event withdraws the reminders and tells the
 * staff screens. The appointments' free text needs no step here: it is sealed with the patient's
 * key, which the erasure destroys right after.
 */
@Component
class ErasedPatientAppointments {

    private final BookingService booking;

    ErasedPatientAppointments(BookingService booking) {
        this.booking = booking;
    }

    @EventListener
    void on(PatientErased erased) {
        booking.cancelForErasure(erased.by(), erased.patientId());
    }
}
