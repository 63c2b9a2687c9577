package io.healthcarebackend.platform.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts requests against rules, in Redis (shared by every instance) or in process memory. A
 * refused request takes nothing from the budget, so hammering on a closed limit does not keep it
 * closed longer.
 */
interface Limiter {

    /** Takes {@code cost} units from the key's budget if they are there. */
    Decision consume(Rule rule, String key, long cost);

    /**
     * Takes {@code cost} units from each rule's budget for its key, all or nothing: when one rule
     * refuses, nothing is taken from any of them. One decision per entry, in order. With Redis,
     * every window rule of the list is one script call: one round trip per request.
     */
    default List<Decision> consumeAll(List<RuleKey> counted, long cost) {
        List<Decision> decisions = new ArrayList<>(counted.size());
        for (RuleKey entry : counted) {
            Decision decision = consume(entry.rule(), entry.key(), cost);
            decisions.add(decision);
            if (!decision.allowed()) {
                for (RuleKey taken : counted.subList(0, decisions.size() - 1)) {
                    refund(taken.rule(), taken.key(), cost);
                }
                break;
            }
        }
        return decisions;
    }

    /** A rule and the key it counts a request on. */
    record RuleKey(Rule rule, String key) {
    }

    /** The key's budget as it is, taking nothing. */
    Decision peek(Rule rule, String key);

    /** Gives back units taken earlier (a login that turned out not to be a failure). */
    void refund(Rule rule, String key, long cost);

    /** Whether {@link #remember} was called for the marker within its time to live. */
    boolean recalls(String marker);

    void remember(String marker, Duration ttl);
}
