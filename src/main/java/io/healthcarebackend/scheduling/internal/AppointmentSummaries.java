package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.scheduling.AppointmentLookup;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

@Component
class AppointmentSummaries implements AppointmentLookup {

    private final AppointmentRepository appointments;

    AppointmentSummaries(AppointmentRepository appointments) {
        this.appointments = appointments;
    }

    @Override
    public Optional<Summary> find(ClinicId clinic, UUID appointmentId) {
        return appointments.find(clinic, appointmentId).map(a -> new Summary(a.id(), a.patientId(),
                a.practitionerId(), a.start(), a.end(), a.status().name()));
    }
}
