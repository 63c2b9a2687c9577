package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.stream.StreamLease;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open stream as the hub sees it: the events waiting to be written, and whether it must end.
 * The queue is bounded, so a stalled client costs bounded memory: when it is full the stream ends
 * ({@link EndReason#SLOW_CONSUMER}) rather than silently losing an event, and the client resumes
 * from the last id it got. A linked queue allocates per waiting event, not per capacity: idle
 * streams, which are nearly all of them, hold no buffer.
 */
final class Subscriber {

    static final int QUEUE = 256;
    private static final ClinicEvents.Entry WAKE = new ClinicEvents.Entry(EventId.ZERO, "", "");

    private final StreamLease lease;
    private final BlockingQueue<ClinicEvents.Entry> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicReference<EndReason> ended = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    Subscriber(StreamLease lease) {
        this.lease = lease;
    }

    CurrentUser user() {
        return lease.user();
    }

    /** The stream's hold on its user's session and token: it ends the stream when either ends. */
    StreamLease lease() {
        return lease;
    }

    ClinicId clinic() {
        return lease.user().clinicId();
    }

    /** Never blocks: called from the thread that fans an event out to every stream of a clinic. */
    void offer(ClinicEvents.Entry entry) {
        if (ended.get() == null && !queue.offer(entry)) {
            end(EndReason.SLOW_CONSUMER);
        }
    }

    /** Asks the stream to end; the first reason wins. Never blocks. */
    void end(EndReason reason) {
        if (ended.compareAndSet(null, reason)) {
            // When the queue is full the stream's thread is not waiting on it anyway.
            queue.offer(WAKE);
        }
    }

    EndReason ended() {
        return ended.get();
    }

    /** The next event, or null when none came within the wait (or the stream was told to end). */
    ClinicEvents.Entry next(long waitNanos) throws InterruptedException {
        ClinicEvents.Entry entry = queue.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        return entry == WAKE ? null : entry;
    }

    /** True exactly once: the hub releases the stream's place on the first call only. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }
}
