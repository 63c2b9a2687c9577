package io.healthcarebackend.platform;

import java.util.Objects;
import java.util.UUID;

/** A staff user. */
public record UserId(UUID value) {

    public UserId {
        Objects.requireNonNull(value, "user id");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
