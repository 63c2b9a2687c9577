package io.healthcarebackend.platform.jobs.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /queue-dashboard/api/summary} answers: per task name (a "queue") how many
 * executions are in each state, and the dead executions themselves, newest failure first.
 *
 * <p>The states of one execution, exclusive: <b>running</b> (picked by a worker), <b>dead</b> (used
 * up its attempts: parked at {@code DeadLetter.PARKED_UNTIL} with failures), <b>failed</b> (has
 * failed and waits for its next attempt), <b>scheduled</b> (has not failed; waits for its time).
 * <b>due</b> counts the waiting executions whose time has come (scheduled or failed), and
 * {@code oldestDueSeconds} how long the oldest of them has waited: a backlog measure.
 */
record QueueSummary(Instant at, List<Queue> queues, Totals totals, List<DeadJob> dead, int deadShown) {

    /** @param known whether this service has a task of that name (else no worker can run its rows) */
    record Queue(String task, boolean known, long due, Long oldestDueSeconds, long scheduled, long running,
            long failed, long dead) {
    }

    record Totals(long due, long scheduled, long running, long failed, long dead) {
    }

    record DeadJob(String task, String instance, int failures, Instant lastFailure, Instant lastSuccess) {
    }
}
