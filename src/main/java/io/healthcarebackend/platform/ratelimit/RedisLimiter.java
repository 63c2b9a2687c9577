package io.healthcarebackend.platform.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits shared by every instance: token buckets through Bucket4j's Lettuce integration
 * (compare-and-swap on one key), sliding and fixed windows in one atomic Lua script ({@code windows.lua})
 * that counts all of a request's window rules in one round trip. Keys are
 * {@code <REDIS_KEY_PREFIX>rl:<rule>:<key>}; a key is an address, a user or clinic id, or a keyed
 * hash: never personal data in clear. Every key expires by itself once its window has passed.
 */
final class RedisLimiter implements Limiter {

    private static final LuaScript WINDOWS = LuaScript.load("windows.lua");
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final RedisLink link;
    private final String prefix;

    RedisLimiter(RedisLink link, String keyPrefix) {
        this.link = link;
        this.prefix = keyPrefix + "rl:";
    }

    @Override
    public Decision consume(Rule rule, String key, long cost) {
        return switch (rule.algorithm()) {
            case TOKEN_BUCKET -> fromProbe(rule, bucket(rule, key).tryConsumeAndReturnRemaining(cost));
            case SLIDING_WINDOW, FIXED_WINDOW -> window(rule, key, cost);
        };
    }

    /**
     * All window rules in one script call (one round trip); token buckets (Bucket4j) one call each,
     * after the windows, whose units go back if a bucket refuses.
     */
    @Override
    public List<Decision> consumeAll(List<RuleKey> counted, long cost) {
        List<Rule> windows = new ArrayList<>(counted.size());
        List<byte[]> keys = new ArrayList<>(counted.size());
        for (RuleKey entry : counted) {
            if (entry.rule().algorithm() != Algorithm.TOKEN_BUCKET) {
                windows.add(entry.rule());
                keys.add(key(entry.rule(), entry.key()));
            }
        }
        List<Decision> windowDecisions = windows.isEmpty() ? List.of() : WINDOWS.run(redis(), windows, keys, cost);
        boolean refused = windowDecisions.stream().anyMatch(d -> !d.allowed());
        List<Decision> decisions = new ArrayList<>(counted.size());
        int next = 0;
        for (RuleKey entry : counted) {
            if (entry.rule().algorithm() != Algorithm.TOKEN_BUCKET) {
                decisions.add(windowDecisions.get(next++));
            } else if (refused) {
                decisions.add(peek(entry.rule(), entry.key()));
            } else {
                Decision decision = consume(entry.rule(), entry.key(), cost);
                decisions.add(decision);
                if (!decision.allowed()) {
                    refused = true;
                    if (!windows.isEmpty()) {
                        WINDOWS.run(redis(), windows, keys, -cost);
                    }
                }
            }
        }
        return decisions;
    }

    @Override
    public Decision peek(Rule rule, String key) {
        return switch (rule.algorithm()) {
            case TOKEN_BUCKET -> fromEstimate(rule, bucket(rule, key).estimateAbilityToConsume(1));
            case SLIDING_WINDOW, FIXED_WINDOW -> window(rule, key, 0);
        };
    }

    @Override
    public void refund(Rule rule, String key, long cost) {
        switch (rule.algorithm()) {
            case TOKEN_BUCKET -> bucket(rule, key).addTokens(cost);
            case SLIDING_WINDOW, FIXED_WINDOW -> window(rule, key, -cost);
        }
    }

    @Override
    public boolean recalls(String marker) {
        return redis().exists(bytes(prefix + "known:" + marker)) > 0;
    }

    @Override
    public void remember(String marker, Duration ttl) {
        redis().set(bytes(prefix + "known:" + marker), new byte[] {'1'}, SetArgs.Builder.px(ttl.toMillis()));
    }

    /**
     * The bucket of a key. Its configuration is part of the key, so a changed limit starts fresh
     * buckets instead of meeting ones stored with the old configuration.
     */
    private BucketProxy bucket(Rule rule, String key) {
        byte[] id = bytes(prefix + rule.name() + ":" + rule.limit() + "/" + rule.windowMillis() + ":" + key);
        return link.backend().buckets().builder().build(id, () -> configuration(rule));
    }

    static BucketConfiguration configuration(Rule rule) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(rule.limit()).refillGreedy(rule.limit(), rule.window()))
                .build();
    }

    static Decision fromProbe(Rule rule, ConsumptionProbe probe) {
        return new Decision(probe.isConsumed(), rule.limit(), probe.getRemainingTokens(),
                millis(rule, probe.getNanosToWaitForReset()), millis(rule, probe.getNanosToWaitForRefill()));
    }

    static Decision fromEstimate(Rule rule, EstimationProbe probe) {
        long missing = rule.limit() - probe.getRemainingTokens();
        long reset = Math.ceilDiv(missing * rule.windowMillis(), rule.limit());
        return new Decision(true, rule.limit(), probe.getRemainingTokens(), reset, 0);
    }

    /** Bucket4j answers "never" (cost above capacity) with Long.MAX_VALUE; a window is the honest wait. */
    private static long millis(Rule rule, long nanos) {
        return Math.min(rule.windowMillis(), Math.ceilDiv(nanos, NANOS_PER_MILLI));
    }

    private Decision window(Rule rule, String key, long cost) {
        return WINDOWS.run(redis(), List.of(rule), List.of(key(rule, key)), cost).getFirst();
    }

    private io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> redis() {
        return link.backend().connection().sync();
    }

    private byte[] key(Rule rule, String key) {
        return bytes(prefix + rule.name() + ":" + key);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
