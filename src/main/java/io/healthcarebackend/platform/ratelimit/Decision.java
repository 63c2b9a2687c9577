package io.healthcarebackend.platform.ratelimit;

/**
 * The answer of a limiter for one key: allowed or not, and the budget afterwards. {@code resetMillis}
 * is the time until the whole budget is back, {@code retryAfterMillis} (refusals only) the time
 * until the refused request would be allowed.
 */
record Decision(boolean allowed, long limit, long remaining, long resetMillis, long retryAfterMillis) {

    Decision {
        remaining = Math.max(0, Math.min(limit, remaining));
        resetMillis = Math.max(0, resetMillis);
        retryAfterMillis = Math.max(0, retryAfterMillis);
    }

    long resetSeconds() {
        return ceilSeconds(resetMillis);
    }

    /** Whole seconds, at least one: a client told to retry after 0 seconds would retry at once. */
    long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfterMillis));
    }

    /** The one of two decisions closer to its limit; its numbers are the ones a client should see. */
    static Decision tighter(Decision a, Decision b) {
        if (a == null) {
            return b;
        }
        return (double) b.remaining / b.limit < (double) a.remaining / a.limit ? b : a;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
