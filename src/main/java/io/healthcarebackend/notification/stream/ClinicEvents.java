package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import java.util.List;

/**
 * Each clinic's recent appointment events, as a log every instance can read (for resuming a
 * stream) and a broadcast every instance hears (for its own open streams, through
 * {@link StreamHub#dispatch}). With Redis: a capped stream per clinic plus one pub/sub channel
 * ({@link RedisClinicEvents}); without: memory of this one instance ({@link InProcessClinicEvents}).
 */
interface ClinicEvents extends AutoCloseable {

    /** Stores the event in the clinic's log and hands it to every instance's hub; returns its id. */
    EventId append(ClinicId clinic, StaffEvent.Type type, String json);

    /**
     * What a stream that has seen everything up to {@code after} must get before it goes live: the
     * clinic's later events, or a reset when some of them are no longer kept (or {@code after} is
     * not an id of this log). {@code after} null: a new stream, which only needs the head.
     */
    Resume resume(ClinicId clinic, EventId after);

    /** {@code redis} or {@code in-process}. */
    String transport();

    /** Releases connections (the Redis subscription); called when the application stops. */
    @Override
    default void close() {
    }

    /** One logged event. */
    record Entry(EventId id, String type, String json) {
    }

    /**
     * @param head   the newest id of the clinic's log when it was read (every later event has a
     *               greater id); {@link EventId#ZERO} for a clinic without events
     * @param reset  events after the client's id are lost to it: it must reload what it shows
     * @param missed the events after the client's id, oldest first (empty on reset)
     */
    record Resume(EventId head, boolean reset, List<Entry> missed) {

        static Resume reset(EventId head) {
            return new Resume(head, true, List.of());
        }
    }
}
