package io.healthcarebackend.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live tail as a capped Redis stream (XADD with MAXLEN ~ {@value #MAX_LENGTH}): every instance
 * appends its events, and each instance follows the stream with XREAD BLOCK. The reader keeps one
 * connection of its own, because a blocking read would otherwise stall the shared connection every
 * other Redis user of the service (sessions) goes through.
 */
final class RedisEventStream {

    static final long MAX_LENGTH = 10_000;
    static final byte[] FIELD = "e".getBytes(StandardCharsets.UTF_8);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte[] ONE = {'1'};
    private static final Duration WATCH_TTL = Duration.ofSeconds(3);

    private final RedisConnectionFactory factory;
    private final byte[] key;
    private final byte[] watchKey;
    private RedisConnection reading;

    RedisEventStream(RedisConnectionFactory factory, String key) {
        this.factory = factory;
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.watchKey = (key + ":watching").getBytes(StandardCharsets.UTF_8);
    }

    /** Tells every instance, for a few seconds, that some dashboard is open somewhere. */
    void markWatched() {
        try (RedisConnection connection = factory.getConnection()) {
            connection.stringCommands().set(watchKey, ONE,
                    org.springframework.data.redis.core.types.Expiration.from(WATCH_TTL),
                    org.springframework.data.redis.connection.RedisStringCommands.SetOption.upsert());
        }
    }

    boolean isWatched() {
        try (RedisConnection connection = factory.getConnection()) {
            return Boolean.TRUE.equals(connection.keyCommands().exists(watchKey));
        }
    }

    /**
     * Appends the events; returns how many were written. On Lettuce (the only client RedisConfig
     * sets up) the whole batch goes out pipelined on the shared connection, so a burst costs one
     * round trip rather than one per event.
     */
    @SuppressWarnings("unchecked")
    int append(List<LiveEvent> events) {
        try (RedisConnection connection = factory.getConnection()) {
            if (connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands) {
                var async = (RedisClusterAsyncCommands<byte[], byte[]>) commands;
                XAddArgs capped = new XAddArgs().maxlen(MAX_LENGTH).approximateTrimming();
                List<RedisFuture<String>> sent = new ArrayList<>(events.size());
                for (LiveEvent event : events) {
                    sent.add(async.xadd(key, capped, Map.of(FIELD, JSON.writeValueAsBytes(event))));
                }
                LettuceFutures.awaitAll(WRITE_TIMEOUT, sent.toArray(new RedisFuture[0]));
                return (int) sent.stream().filter(f -> f.isDone() && f.getError() == null).count();
            }
            XAddOptions capped = XAddOptions.maxlen(MAX_LENGTH).approximateTrimming(true);
            for (LiveEvent event : events) {
                connection.streamCommands().xAdd(MapRecord.create(key, Map.of(FIELD, JSON.writeValueAsBytes(event))),
                        capped);
            }
            return events.size();
        }
    }

    /** Delivers the newest {@code count} entries, oldest first; returns the id to read on from. */
    synchronized String replayTail(int count, Consumer<Delivered> sink) {
        List<ByteRecord> newestFirst = reader().streamCommands().xRevRange(key, Range.unbounded(),
                Limit.limit().count(count));
        if (newestFirst == null || newestFirst.isEmpty()) {
            return "0-0";
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            deliver(newestFirst.get(i), sink);
        }
        return newestFirst.getFirst().getId().getValue();
    }

    /** Waits up to {@code block} for entries after {@code last}; returns the id to read on from. */
    String readAfter(String last, Duration block, Consumer<Delivered> sink) {
        RedisConnection connection;
        synchronized (this) {
            connection = reader();
        }
        List<ByteRecord> records = connection.streamCommands().xRead(
                StreamReadOptions.empty().block(block).count(500), StreamOffset.create(key, ReadOffset.from(last)));
        if (records == null) {
            return last;
        }
        String next = last;
        for (ByteRecord record : records) {
            deliver(record, sink);
            next = record.getId().getValue();
        }
        return next;
    }

    private static void deliver(ByteRecord record, Consumer<Delivered> sink) {
        for (Map.Entry<byte[], byte[]> field : record.getValue().entrySet()) {
            if (java.util.Arrays.equals(field.getKey(), FIELD)) {
                try {
                    sink.accept(new Delivered(record.getId().getValue(), JSON.readValue(field.getValue(),
                            LiveEvent.class)));
                } catch (RuntimeException e) {
                    // An entry this version cannot read (e.g. written by a newer one): skip it.
                }
            }
        }
    }

    private RedisConnection reader() {
        if (reading == null || reading.isClosed()) {
            reading = factory.getConnection();
        }
        return reading;
    }

    synchronized void reconnect() {
        close();
    }

    synchronized void close() {
        if (reading != null) {
            try {
                reading.close();
            } catch (RuntimeException e) {
                // Already broken; nothing left to release.
            }
            reading = null;
        }
    }
}
