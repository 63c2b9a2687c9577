package io.healthcarebackend.platform.stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Ended sessions on one Redis channel ({@code <prefix>sessions:ended}, session ids separated by
 * spaces; ids only, no user data): every instance publishes the sessions it ended and holds one
 * {@link RedisSubscription} of its own. Messages published while that was down never arrive, so
 * each (re)subscription asks for a prompt re-check of every session with an open stream.
 */
final class RedisSessionEndSignal implements SessionEndSignal {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionEndSignal.class);

    private final StringRedisTemplate redis;
    private final String channel;
    private final RedisSubscription subscription;

    RedisSessionEndSignal(StringRedisTemplate redis, RedisClient client, RedisURI uri, String keyPrefix) {
        this.redis = redis;
        this.channel = keyPrefix + "sessions:ended";
        this.subscription = new RedisSubscription(client, uri, channel, "session-end");
    }

    @Override
    public void publish(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        String message = sessionIds.stream().map(UUID::toString).collect(Collectors.joining(" "));
        // Off the caller's thread: a logout must not wait for (or fail with) Redis.
        Thread.ofVirtual().name("session-end-signal").start(() -> {
            try {
                redis.convertAndSend(channel, message);
            } catch (RuntimeException e) {
                log.warn("Ended sessions not signalled to other instances (their streams end at the next "
                        + "session re-check): {}", e.getClass().getSimpleName());
            }
        });
    }

    /** Subscribes in the background ({@link RedisSubscription}): a start with Redis away waits for nothing. */
    @Override
    public void start(Consumer<Collection<UUID>> ended, Runnable resubscribed) {
        subscription.start(new Listener(ended, resubscribed));
    }

    @Override
    public void close() {
        subscription.close();
    }

    /** Parses and flags streams, never blocks. */
    private record Listener(Consumer<Collection<UUID>> ended, Runnable resubscribed)
            implements RedisSubscription.Listener {

        @Override
        public void message(String message) {
            List<UUID> ids = new ArrayList<>();
            for (String part : message.split(" ")) {
                try {
                    ids.add(UUID.fromString(part));
                } catch (IllegalArgumentException e) {
                    // Not a session id: ignore it.
                }
            }
            ended.accept(ids);
        }

        @Override
        public void subscribed() {
            resubscribed.run();
        }
    }
}
