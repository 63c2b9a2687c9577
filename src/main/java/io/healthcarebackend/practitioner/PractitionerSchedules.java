package io.healthcarebackend.practitioner;

import io.healthcarebackend.platform.ClinicId;
import java.util.Optional;
import java.util.UUID;

/** The practitioner module's public API for scheduling. */
public interface PractitionerSchedules {

    /** The practitioner's schedule, or empty if there is no such practitioner in the clinic. */
    Optional<WeeklySchedule> schedule(ClinicId clinic, UUID practitionerId);

    /** Creates a practitioner (used by seeding); returns its id. */
    UUID create(ClinicId clinic, String givenName, String familyName, String specialty, UUID userId);

    void replaceSchedule(ClinicId clinic, UUID practitionerId, WeeklySchedule schedule);
}
