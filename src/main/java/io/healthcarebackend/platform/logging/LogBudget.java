package io.healthcarebackend.platform.logging;

/**
 * At most so many log events of one kind a second, for events that come in floods exactly when the
 * service is in trouble (slow queries while the database is saturated): logging them all would add
 * to the load. The events over budget are counted and reported with the next one let through; the
 * metrics beside them count every event anyway.
 */
public final class LogBudget {

    private final int perSecond;
    private long second = Long.MIN_VALUE;
    private int used;
    private int dropped;

    public LogBudget(int perSecond) {
        this.perSecond = perSecond;
    }

    /** -1 when this event is over budget (not to be logged); else how many were dropped before it. */
    public synchronized int admit() {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            used = 0;
        }
        if (used >= perSecond) {
            dropped++;
            return -1;
        }
        used++;
        int before = dropped;
        dropped = 0;
        return before;
    }
}
