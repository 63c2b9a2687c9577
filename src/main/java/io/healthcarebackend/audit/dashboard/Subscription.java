package io.healthcarebackend.audit.dashboard;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connected dashboard: the events it may see, queued for its stream. The queue is bounded so a
 * slow or stalled browser costs bounded memory; when it is full the newest events are dropped for
 * that viewer only.
 */
final class Subscription {

    private static final Delivered CLOSED = new Delivered("", null);

    private final String clinic;
    private final BlockingQueue<Delivered> queue = new ArrayBlockingQueue<>(1_000);
    private volatile String ended;

    /** @param clinic the viewer's clinic; null for a platform administrator */
    Subscription(String clinic) {
        this.clinic = clinic;
    }

    /** Never blocks: called from the one thread that fans out to every viewer. */
    boolean offer(Delivered delivered) {
        return !delivered.event().visibleTo(clinic) || queue.offer(delivered);
    }

    boolean visible(Delivered delivered) {
        return delivered.event().visibleTo(clinic);
    }

    /** The next event, or null when none came within {@code wait} (time for a heartbeat). */
    Delivered next(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    static boolean isClose(Delivered delivered) {
        return delivered == CLOSED;
    }

    /** Ends the stream (shutdown): the client reconnects to another instance. */
    void close() {
        end("SHUTDOWN");
    }

    /**
     * Ends the stream, telling the client why (the first reason wins): its token expired or its
     * session ended ({@code io.healthcarebackend.platform.stream.StreamEnd}), or the instance stops.
     * Never blocks.
     */
    void end(String reason) {
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = reason;
        }
        queue.clear();
        queue.offer(CLOSED);
    }

    /** Why the stream ended; null while it goes on. */
    String ended() {
        return ended;
    }
}
