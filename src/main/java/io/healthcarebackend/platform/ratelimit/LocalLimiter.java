package io.healthcarebackend.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits kept in this process's memory: the whole truth in single-node mode (no {@code REDIS_URL}),
 * and the stand-in while Redis is unreachable, when each rule's limit is divided by the expected
 * number of instances. Bounded: at most {@value #MAX_KEYS} keys per rule, each dropped two
 * windows after its last use (a dropped key starts over with a full budget).
 */
final class LocalLimiter implements Limiter {

    static final int MAX_KEYS = 50_000;

    private final int instances;
    private final Clock clock;
    private final Map<String, Cache<String, Object>> states = new ConcurrentHashMap<>();
    private final Cache<String, Long> markers = Caffeine.newBuilder().maximumSize(MAX_KEYS).build();

    /** @param instances how many instances share each limit (1 in single-node mode) */
    LocalLimiter(int instances, Clock clock) {
        this.instances = Math.max(1, instances);
        this.clock = clock;
    }

    @Override
    public Decision consume(Rule rule, String key, long cost) {
        Rule local = rule.perInstance(instances);
        return switch (state(local, key)) {
            case Bucket bucket -> RedisLimiter.fromProbe(local, bucket.tryConsumeAndReturnRemaining(cost));
            case LocalWindow window -> window.apply(local, cost, clock.millis());
            default -> throw new IllegalStateException();
        };
    }

    @Override
    public Decision peek(Rule rule, String key) {
        Rule local = rule.perInstance(instances);
        return switch (state(local, key)) {
            case Bucket bucket -> RedisLimiter.fromEstimate(local, bucket.estimateAbilityToConsume(1));
            case LocalWindow window -> window.apply(local, 0, clock.millis());
            default -> throw new IllegalStateException();
        };
    }

    @Override
    public void refund(Rule rule, String key, long cost) {
        Rule local = rule.perInstance(instances);
        switch (state(local, key)) {
            case Bucket bucket -> bucket.addTokens(cost);
            case LocalWindow window -> window.apply(local, -cost, clock.millis());
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public boolean recalls(String marker) {
        Long until = markers.getIfPresent(marker);
        return until != null && until > clock.millis();
    }

    @Override
    public void remember(String marker, Duration ttl) {
        markers.put(marker, clock.millis() + ttl.toMillis());
    }

    private Object state(Rule rule, String key) {
        Cache<String, Object> cache = states.computeIfAbsent(rule.name() + "/" + rule.limit() + "/"
                + rule.windowMillis() + "/" + rule.algorithm(), name -> Caffeine.newBuilder()
                        .maximumSize(MAX_KEYS).expireAfterAccess(rule.window().multipliedBy(2)).build());
        return cache.get(key, k -> switch (rule.algorithm()) {
            case TOKEN_BUCKET -> Bucket.builder().addLimit(RedisLimiter.configuration(rule).getBandwidths()[0]).build();
            case SLIDING_WINDOW -> new LocalWindow.Sliding();
            case FIXED_WINDOW -> new LocalWindow.Fixed();
        });
    }
}
