package io.healthcarebackend.demo;

import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.identity.StaffAccounts;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.practitioner.PractitionerSchedules;
import io.healthcarebackend.practitioner.WeeklySchedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Development only: seeds "Demo Clinic" with one user per role and a practitioner working
 * Monday to Friday, 09:00–17:00, in 30-minute slots. Idempotent (the clinic has a fixed id);
 * production refuses to start with it enabled.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
class DemoData {

    static final ClinicId DEMO_CLINIC = ClinicId.of("0190a3c0-0000-7000-8000-00000000d3e0");
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final Clinics clinics;
    private final StaffAccounts accounts;
    private final PractitionerSchedules practitioners;
    private final String password;
    private final String zone;

    DemoData(Clinics clinics, StaffAccounts accounts, PractitionerSchedules practitioners,
            @Value("${app.demo.password}") String password, @Value("${app.demo.time-zone:Europe/Berlin}") String zone) {
        this.clinics = clinics;
        this.accounts = accounts;
        this.practitioners = practitioners;
        this.password = password;
        this.zone = zone;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        if (clinics.find(DEMO_CLINIC).isPresent()) {
            announce();
            return;
        }
        clinics.create(DEMO_CLINIC, "Demo Clinic", ZoneId.of(zone));
        accounts.create(DEMO_CLINIC, "admin@demo.clinic", "Ada Admin", Role.CLINIC_ADMIN, password);
        UserId doctor = accounts.create(DEMO_CLINIC, "doctor@demo.clinic", "Dr. Grace Hopper", Role.PRACTITIONER,
                password);
        accounts.create(DEMO_CLINIC, "frontdesk@demo.clinic", "Frank Frontdesk", Role.RECEPTIONIST, password);
        accounts.create(DEMO_CLINIC, "compliance@demo.clinic", "Cora Compliance", Role.COMPLIANCE_OFFICER, password);
        if (accounts.findByEmail(null, "platform@demo.clinic").isEmpty()) {
            accounts.create(null, "platform@demo.clinic", "Pat Platform", Role.PLATFORM_ADMIN, password);
        }
        UUID practitioner = practitioners.create(DEMO_CLINIC, "Grace", "Hopper", "General practice", doctor.value());
        List<WeeklySchedule.Hours> hours = List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY).stream()
                .map(day -> new WeeklySchedule.Hours(day, LocalTime.of(9, 0), LocalTime.of(17, 0)))
                .toList();
        practitioners.replaceSchedule(DEMO_CLINIC, practitioner, new WeeklySchedule(30, hours, List.of()));
        log.info("Seeded Demo Clinic {} with practitioner {}", DEMO_CLINIC, practitioner);
        announce();
    }

    private void announce() {
        log.info("Demo data ready. Log in with POST /api/v1/auth/login as admin@demo.clinic, doctor@demo.clinic, "
                + "frontdesk@demo.clinic, compliance@demo.clinic or platform@demo.clinic, password from DEMO_PASSWORD "
                + "(default demo-password-123)");
    }
}
