package io.healthcarebackend.clinic;

import io.healthcarebackend.platform.ClinicId;
import java.time.ZoneId;
import java.util.Optional;

/** The clinic module's public API: tenants and their time zone. */
public interface Clinics {

    /** Creates a clinic with the given id (callers may fix ids, e.g. for demo data). */
    ClinicView create(ClinicId id, String name, ZoneId timeZone);

    Optional<ClinicView> find(ClinicId id);

    /** The clinic's time zone; cached, as schedules are evaluated on every availability query. */
    ZoneId timeZone(ClinicId id);
}
