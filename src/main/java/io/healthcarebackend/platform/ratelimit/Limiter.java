package io.healthcarebackend.platform.ratelimit;

import java.time.Duration;

/**
 * Counts requests against rules, in Redis (shared by every instance) or in process memory. A
 * refused request takes nothing from the budget, so hammering on a closed limit does not keep it
 * closed longer.
 */
interface Limiter {

    /** Takes {@code cost} units from the key's budget if they are there. */
    Decision consume(Rule rule, String key, long cost);

    /** The key's budget as it is, taking nothing. */
    Decision peek(Rule rule, String key);

    /** Gives back units taken earlier (a login that turned out not to be a failure). */
    void refund(Rule rule, String key, long cost);

    /** Whether {@link #remember} was called for the marker within its time to live. */
    boolean recalls(String marker);

    void remember(String marker, Duration ttl);
}
