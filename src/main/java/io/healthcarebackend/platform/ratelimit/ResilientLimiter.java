package io.healthcarebackend.platform.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The limiter everybody uses. With Redis, limits are shared; when a Redis call fails, the limiter
 * switches to per-instance limits (each limit divided by the expected number of instances) and
 * stops waiting on Redis for general traffic. Fail-closed rules (login, MFA) keep asking Redis
 * (a refused command fails at once) and answer 503 while it does not answer. A background check
 * every second switches back when Redis answers again: no restart needed.
 */
final class ResilientLimiter implements Limiter, AutoCloseable {

    private final Limiter shared;
    private final Limiter fallback;
    private final FallbackState state;
    private final ScheduledExecutorService prober;

    ResilientLimiter(RedisLink link, String keyPrefix, Limiter fallback, FallbackState state) {
        this.shared = new RedisLimiter(link, keyPrefix);
        this.fallback = fallback;
        this.state = state;
        if (!link.ping()) {
            state.failed(new io.lettuce.core.RedisConnectionException("not reachable at start-up"));
        }
        this.prober = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("rate-limit-probe")
                .factory());
        prober.scheduleWithFixedDelay(() -> {
            if (state.inFallback() && link.ping()) {
                state.recovered();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    boolean inFallback() {
        return state.inFallback();
    }

    @Override
    public Decision consume(Rule rule, String key, long cost) {
        return call(rule.failClosed(), limiter -> limiter.consume(rule, key, cost));
    }

    @Override
    public List<Decision> consumeAll(List<RuleKey> counted, long cost) {
        boolean failClosed = counted.stream().anyMatch(entry -> entry.rule().failClosed());
        return call(failClosed, limiter -> limiter.consumeAll(counted, cost));
    }

    @Override
    public Decision peek(Rule rule, String key) {
        if (!state.inFallback()) {
            try {
                return shared.peek(rule, key);
            } catch (RuntimeException e) {
                state.failed(e);
            }
        }
        return fallback.peek(rule, key);
    }

    @Override
    public void refund(Rule rule, String key, long cost) {
        call(rule.failClosed(), limiter -> {
            limiter.refund(rule, key, cost);
            return null;
        });
    }

    @Override
    public boolean recalls(String marker) {
        return Boolean.TRUE.equals(shared(limiter -> limiter.recalls(marker)));
    }

    @Override
    public void remember(String marker, Duration ttl) {
        shared(limiter -> {
            limiter.remember(marker, ttl);
            return null;
        });
    }

    private <T> T call(boolean failClosed, Function<Limiter, T> action) {
        if (failClosed) {
            return shared(action);
        }
        if (!state.inFallback()) {
            try {
                return action.apply(shared);
            } catch (RuntimeException e) {
                state.failed(e);
            }
        }
        return action.apply(fallback);
    }

    /** Only Redis will do (the caller fails closed): its failure is a 503. */
    private <T> T shared(Function<Limiter, T> action) {
        try {
            T result = action.apply(shared);
            state.recovered();
            return result;
        } catch (RuntimeException e) {
            state.failed(e);
            throw new RateLimitUnavailable();
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
