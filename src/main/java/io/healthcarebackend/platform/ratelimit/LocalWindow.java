package io.healthcarebackend.platform.ratelimit;

/**
 * The in-process counterparts of the Lua scripts, with the same arithmetic, for single-node mode
 * and for the per-instance fallback while Redis is unreachable. One object per rule and key,
 * used under its own lock.
 */
abstract sealed class LocalWindow {

    abstract Decision apply(Rule rule, long cost, long nowMillis);

    /** See {@code windows.lua} (sliding). */
    static final class Sliding extends LocalWindow {
        private long index = Long.MIN_VALUE;
        private double current;
        private double previous;

        @Override
        synchronized Decision apply(Rule rule, long cost, long now) {
            long window = rule.windowMillis();
            long limit = rule.limit();
            long nowIndex = Math.floorDiv(now, window);
            long elapsed = now - nowIndex * window;
            if (nowIndex == index + 1) {
                previous = current;
                current = 0;
            } else if (nowIndex != index) {
                previous = 0;
                current = 0;
            }
            index = nowIndex;
            double weight = (double) (window - elapsed) / window;
            double estimate = previous * weight + current;
            if (cost > 0 && estimate + cost > limit) {
                double retry;
                if (cost > limit) {
                    retry = window;
                } else if (current + cost <= limit) {
                    retry = (window - elapsed) - (limit - cost - current) * window / previous;
                } else {
                    retry = (window - elapsed) + Math.max(0, window - (limit - cost) * (double) window / current);
                }
                return new Decision(false, limit, (long) Math.floor(limit - estimate), 2 * window - elapsed,
                        Math.max(1, (long) Math.ceil(retry)));
            }
            if (cost > 0) {
                current += cost;
            } else {
                // As the Lua script: a refund that crosses the boundary comes out of the previous window.
                double back = Math.min(current, -cost);
                current -= back;
                previous = Math.max(0, previous + cost + back);
            }
            estimate = previous * weight + current;
            long reset = current > 0 ? 2 * window - elapsed : previous > 0 ? window - elapsed : 0;
            return new Decision(true, limit, (long) Math.floor(limit - estimate), reset, 0);
        }
    }

    /** See {@code windows.lua} (fixed): the window opens with the key's first request. */
    static final class Fixed extends LocalWindow {
        private long endsAt;
        private long count;

        @Override
        synchronized Decision apply(Rule rule, long cost, long now) {
            long limit = rule.limit();
            if (now >= endsAt) {
                count = 0;
            }
            long ttl = Math.max(0, endsAt - now);
            if (cost > 0 && count + cost > limit) {
                long wait = ttl == 0 || cost > limit ? rule.windowMillis() : ttl;
                return new Decision(false, limit, limit - count, wait, wait);
            }
            if (cost > 0 && count == 0) {
                endsAt = now + rule.windowMillis();
                ttl = rule.windowMillis();
            }
            count = Math.max(0, count + cost);
            return new Decision(true, limit, limit - count, count > 0 ? ttl : 0, 0);
        }
    }
}
