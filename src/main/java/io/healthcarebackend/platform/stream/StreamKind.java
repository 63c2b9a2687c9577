package io.healthcarebackend.platform.stream;

import java.util.Objects;

/**
 * One family of streams with its own per-user cap, e.g. the staff event stream or the /logger
 * tail; the cap counts a user's open streams of that kind on one instance.
 *
 * @param name       for metrics and logs
 * @param maxPerUser open streams of this kind one user may hold on one instance
 * @param limitCode  the problem {@code code} of the 429 past the cap
 */
public record StreamKind(String name, int maxPerUser, String limitCode) {

    public StreamKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limitCode, "limitCode");
        if (maxPerUser <= 0) {
            throw new IllegalArgumentException(name + ": the per-user stream cap must be positive");
        }
    }
}
