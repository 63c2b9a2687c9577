package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.patient.PatientRecords;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.scheduling.AppointmentLookup;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.db.TenantTx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The delivery records of an appointment's messages — what went out, over which channel, how many
 * attempts, the provider's id and the last error — for the front desk and administrators. An
 * appointment of another clinic is not found, like one that does not exist. They tell who was
 * messaged about what appointment: a restricted patient's records open only under break-glass,
 * like the patient's record.
 */
@RestController
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')")
class DeliveryController {

    private final DeliveryRepository deliveries;
    private final AppointmentLookup appointments;
    private final TenantTx tx;
    private final PatientRecords patients;

    DeliveryController(DeliveryRepository deliveries, AppointmentLookup appointments, TenantTx tx,
            PatientRecords patients) {
        this.patients = patients;
        this.deliveries = deliveries;
        this.appointments = appointments;
        this.tx = tx;
    }

    @GetMapping("/api/v1/appointments/{id}/notifications")
    Map<String, List<Delivery>> list(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        ClinicId clinic = user.clinic();
        return Map.of("items", tx.readInClinic(clinic, () -> {
            AppointmentLookup.Summary appointment = appointments.find(clinic, id)
                    .orElseThrow(() -> new ApiException.NotFound("Appointment"));
            patients.requireAccess(user, appointment.patientId());
            return deliveries.ofAppointment(clinic, id);
        }));
    }
}
