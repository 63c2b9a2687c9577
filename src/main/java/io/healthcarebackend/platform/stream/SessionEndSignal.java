package io.healthcarebackend.platform.stream;

import java.util.Collection;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tells every other instance which sessions ended here, so their streams end too: a Redis channel
 * ({@link RedisSessionEndSignal}), or nothing for a single instance without Redis (its own
 * {@link io.healthcarebackend.platform.security.SessionsEnded} events are all there is).
 */
interface SessionEndSignal extends AutoCloseable {

    /** Never blocks the caller and never throws: a lost signal is caught by the periodic re-check. */
    void publish(Collection<UUID> sessionIds);

    /**
     * @param ended       sessions another instance ended
     * @param resubscribed called whenever the channel is (re)established: signals sent meanwhile are lost
     */
    void start(Consumer<Collection<UUID>> ended, Runnable resubscribed);

    @Override
    void close();

    /** A single instance without Redis. */
    SessionEndSignal NONE = new SessionEndSignal() {
        @Override
        public void publish(Collection<UUID> sessionIds) {
        }

        @Override
        public void start(Consumer<Collection<UUID>> ended, Runnable resubscribed) {
        }

        @Override
        public void close() {
        }
    };
}
