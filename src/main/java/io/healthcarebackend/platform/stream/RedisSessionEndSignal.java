package io.healthcarebackend.platform.stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
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
 * subscription connection of its own. Lettuce re-subscribes by itself after a lost connection;
 * messages published meanwhile never arrive, so each (re)subscription asks for a prompt re-check
 * of every session with an open stream.
 */
final class RedisSessionEndSignal implements SessionEndSignal {

    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RedisSessionEndSignal.class);

    private final StringRedisTemplate redis;
    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile boolean closed;

    RedisSessionEndSignal(StringRedisTemplate redis, RedisClient client, RedisURI uri, String keyPrefix) {
        this.redis = redis;
        this.client = client;
        this.uri = uri;
        this.channel = keyPrefix + "sessions:ended";
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

    /** Subscribes in the background (a start with Redis away waits for nothing), retrying until it can. */
    @Override
    public void start(Consumer<Collection<UUID>> ended, Runnable resubscribed) {
        closed = false; // a stopped context may be started again (the test framework pauses contexts)
        Thread.ofVirtual().name("session-end-subscribe").start(() -> {
            while (!closed && !trySubscribe(ended, resubscribed)) {
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    private boolean trySubscribe(Consumer<Collection<UUID>> ended, Runnable resubscribed) {
        try {
            StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub(StringCodec.UTF8, uri);
            connection.addListener(new Listener(ended, resubscribed));
            connection.sync().subscribe(channel);
            subscription = connection;
            if (closed) {
                connection.close();
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Session-end subscription failed, retrying: {}", e.getClass().getSimpleName());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> connection = subscription;
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                // The client may be shut down already.
            }
        }
    }

    /** Runs on Lettuce's I/O thread: parses and flags streams, never blocks. */
    private record Listener(Consumer<Collection<UUID>> ended, Runnable resubscribed)
            implements io.lettuce.core.pubsub.RedisPubSubListener<String, String> {

        @Override
        public void message(String from, String message) {
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
        public void message(String pattern, String from, String message) {
        }

        @Override
        public void subscribed(String to, long count) {
            resubscribed.run();
        }

        @Override
        public void psubscribed(String pattern, long count) {
        }

        @Override
        public void unsubscribed(String from, long count) {
        }

        @Override
        public void punsubscribed(String pattern, long count) {
        }
    }
}
