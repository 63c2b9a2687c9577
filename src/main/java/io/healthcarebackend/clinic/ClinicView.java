package io.healthcarebackend.clinic;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.time.ZoneId;

/** A clinic as other modules and clients see it. */
public record ClinicView(ClinicId id, String name, ZoneId timeZone, Instant createdAt) {
}
