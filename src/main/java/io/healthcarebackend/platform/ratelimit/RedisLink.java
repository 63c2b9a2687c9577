package io.healthcarebackend.platform.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.tracing.Tracing;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The rate limiter's own connection to Redis, separate from the application's: it must fail fast
 * (commands are refused at once while disconnected, and time out after {@code RATE_LIMIT_REDIS_TIMEOUT}),
 * where the application's connection queues commands and waits. Lettuce reconnects by itself
 * (every second at most); a connection that could not be opened at all is opened by {@link #ping()}.
 */
final class RedisLink implements AutoCloseable {

    /** An open connection and the Bucket4j buckets on it. */
    record Backend(StatefulRedisConnection<byte[], byte[]> connection, ProxyManager<byte[]> buckets) {
    }

    private final ClientResources resources;
    private final RedisClient client;
    private volatile Backend backend;

    /** {@code tracing}: spans of the commands issued inside a trace (platform.tracing); null when tracing is off. */
    RedisLink(String url, Duration timeout, Tracing tracing) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        ClientResources.Builder builder = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                // Lettuce records every command's latency in histograms when HdrHistogram is on
                // the classpath (it is, through Micrometer): CPU on every request, never read.
                .commandLatencyRecorder(CommandLatencyRecorder.disabled());
        if (tracing != null) {
            builder.tracing(tracing);
        }
        this.resources = builder.build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
    }

    /** The open connection; throws when there is none (Redis unreachable since start-up). */
    Backend backend() {
        Backend current = backend;
        if (current == null) {
            throw new RedisConnectionException("Rate-limit store not connected");
        }
        return current;
    }

    /** Opens the connection if needed and checks Redis answers; false when it does not. */
    boolean ping() {
        try {
            Backend current = backend != null ? backend : connect();
            return "PONG".equals(current.connection().sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private synchronized Backend connect() {
        if (backend == null) {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            ProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
            backend = new Backend(connection, buckets);
        }
        return backend;
    }

    @Override
    public void close() {
        Backend current = backend;
        if (current != null) {
            current.connection().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
