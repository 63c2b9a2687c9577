package io.healthcarebackend.platform.ratelimit;

/**
 * How a rule counts. Configured as {@code token-bucket}, {@code sliding-window} or {@code fixed-window}.
 *
 * <ul>
 * <li>Token bucket (Bucket4j): a burst up to the limit, refilled evenly over the window; suits
 * interactive clients whose traffic comes in bursts.</li>
 * <li>Sliding-window counter: the previous window's count, weighted by how much of it still
 * overlaps the last window's length, plus the current one; smooth, no burst at window edges.</li>
 * <li>Fixed window: a counter that starts with a key's first request and expires one window
 * later; the cheapest, allows up to twice the limit across a window edge.</li>
 * </ul>
 */
enum Algorithm {
    TOKEN_BUCKET, SLIDING_WINDOW, FIXED_WINDOW;

    String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
