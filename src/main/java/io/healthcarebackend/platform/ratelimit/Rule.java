package io.healthcarebackend.platform.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One limit: at most {@code limit} units per {@code window} per key, counted with {@code algorithm}
 * over the requests of the given route classes. A request costs its route class's weight.
 * {@code failClosed} rules refuse requests while the shared store is unreachable instead of
 * falling back to a per-instance limit (login and MFA: a per-instance guess would multiply an
 * attacker's guesses by the number of instances).
 */
record Rule(String name, KeyKind key, Set<String> routeClasses, Algorithm algorithm, long limit, Duration window,
        boolean failClosed) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    Rule {
        Objects.requireNonNull(key, () -> "rate-limit rule " + name + ": key (ip, user or clinic) is missing");
        Objects.requireNonNull(algorithm, () -> "rate-limit rule " + name + ": algorithm is missing");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rate-limit rule name must be lower-case letters, digits and '-': "
                    + name);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("rate-limit rule " + name + ": limit must be at least 1");
        }
        if (window == null || window.toMillis() < 1) {
            throw new IllegalArgumentException("rate-limit rule " + name + ": window must be positive");
        }
        routeClasses = routeClasses == null ? Set.of() : Set.copyOf(routeClasses);
    }

    long windowMillis() {
        return window.toMillis();
    }

    /** The same rule with its limit shared out among {@code instances} counting on their own. */
    Rule perInstance(int instances) {
        return new Rule(name, key, routeClasses, algorithm, Math.max(1, limit / instances), window, failClosed);
    }
}
