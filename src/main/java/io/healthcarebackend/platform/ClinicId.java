package io.healthcarebackend.platform;

import java.util.Objects;
import java.util.UUID;

/** The tenant: every tenant-owned row carries one. */
public record ClinicId(UUID value) {

    public ClinicId {
        Objects.requireNonNull(value, "clinic id");
    }

    public static ClinicId of(String text) {
        return new ClinicId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
