package io.healthcarebackend.platform.stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis pub/sub channel, heard on a connection of its own. {@link #start} subscribes in the
 * background and retries until Redis answers, so a start with Redis away waits for nothing; once
 * subscribed, Lettuce re-subscribes by itself after a lost connection. Messages published while
 * the connection was down never arrive, which is why the listener is told of every
 * (re)subscription. A closed subscription may be started again (the test framework stops and
 * starts cached contexts).
 */
public final class RedisSubscription implements AutoCloseable {

    /** What the channel brings. Both run on Lettuce's I/O thread: hand over, never block. */
    public interface Listener {

        void message(String message);

        /** The channel is subscribed, first or again: whatever was published before is lost to this one. */
        void subscribed();
    }

    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final String purpose;
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean closed;

    /**
     * @param purpose what the subscription is for, in the log and the thread's name (no data)
     */
    public RedisSubscription(RedisClient client, RedisURI uri, String channel, String purpose) {
        this.client = client;
        this.uri = uri;
        this.channel = channel;
        this.purpose = purpose;
    }

    /** Subscribes on a virtual thread, trying again every second while Redis is unreachable. */
    public void start(Listener listener) {
        closed = false;
        Thread.ofVirtual().name(purpose + "-subscribe").start(() -> {
            while (!closed && !trySubscribe(listener)) {
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    private boolean trySubscribe(Listener listener) {
        try {
            StatefulRedisPubSubConnection<String, String> opened = client.connectPubSub(StringCodec.UTF8, uri);
            opened.addListener(new Adapter(listener));
            opened.sync().subscribe(channel);
            connection = opened;
            if (closed) {
                opened.close();
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Redis subscription ({}) failed, retrying: {}", purpose, e.getClass().getSimpleName());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> open = connection;
        if (open != null && open.isOpen()) {
            try {
                open.close();
            } catch (RuntimeException e) {
                // The client (and this connection with it) may be shut down already.
            }
        }
    }

    private static final class Adapter extends RedisPubSubAdapter<String, String> {

        private final Listener listener;

        Adapter(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void message(String from, String message) {
            listener.message(message);
        }

        @Override
        public void subscribed(String to, long count) {
            listener.subscribed();
        }
    }
}
