package io.healthcarebackend.platform.jobs;

import java.time.Instant;

/**
 * The dead-letter state of a job: an execution that used up its attempts stays in
 * {@code scheduled_tasks}, parked at {@link #PARKED_UNTIL} with its failure count, so it is never
 * polled again but an operator can still see it, run it again or delete it (on /queue-dashboard).
 */
public final class DeadLetter {

    /** Far beyond any real schedule; PostgreSQL's timestamptz holds it exactly. */
    public static final Instant PARKED_UNTIL = Instant.parse("9999-12-31T00:00:00Z");

    private DeadLetter() {
    }

    public static boolean isDead(Instant executionTime) {
        return !executionTime.isBefore(PARKED_UNTIL);
    }
}
