package io.healthcarebackend.platform;

import java.util.List;

/** A page of a keyset-paginated list: {@code next} is the opaque cursor of the following page, or null. */
public record Page<T>(List<T> items, String next) {
}
