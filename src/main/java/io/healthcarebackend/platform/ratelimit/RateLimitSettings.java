package io.healthcarebackend.platform.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code app.rate-limits} in application.yml; README "Rate limiting" explains each part. Route
 * classes and rules are maps, so a profile or test can change one entry (or add one) without
 * restating the others.
 */
@ConfigurationProperties("app.rate-limits")
record RateLimitSettings(boolean enabled, String redisUrl, Duration redisTimeout, int expectedInstances,
        Map<String, RouteClassSettings> routeClasses, Map<String, RuleSettings> rules, Login login) {

    RateLimitSettings {
        redisTimeout = redisTimeout == null ? Duration.ofMillis(500) : redisTimeout;
        expectedInstances = Math.max(1, expectedInstances);
        routeClasses = routeClasses == null ? Map.of() : routeClasses;
        rules = rules == null ? Map.of() : rules;
    }

    /** Requests matching any of {@code routes} ("METHOD /path/pattern", method {@code *} for any) cost {@code weight}. */
    record RouteClassSettings(int weight, List<String> routes) {
    }

    record RuleSettings(KeyKind key, List<String> routeClasses, Algorithm algorithm, long limit, Duration window,
            boolean failClosed) {
    }

    /** One limit of the login throttle. */
    record LimitSettings(Algorithm algorithm, long limit, Duration window) {
    }

    /**
     * Failed sign-ins per account: {@code perAccount} for attempts from addresses the account has
     * not signed in from before, the same budget again for each address it has (kept for
     * {@code knownSourceTtl}), and {@code hourlyCap} over all of them.
     */
    record Login(LimitSettings perAccount, LimitSettings hourlyCap, Duration knownSourceTtl) {
    }
}
