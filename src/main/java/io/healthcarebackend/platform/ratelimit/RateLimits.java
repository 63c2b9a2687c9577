package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rate limiting as the rest of the platform sees it: the two filters the security chain puts
 * around authentication. Holds the configured route classes and rules and the limiter they count in.
 */
public final class RateLimits {

    private final boolean enabled;
    private final RouteClasses routes;
    private final RuleBook rules;
    private final Limiter limiter;
    private final RateLimitMeter meter;
    private final ClientIp clientIp;

    RateLimits(boolean enabled, RouteClasses routes, RuleBook rules, Limiter limiter, RateLimitMeter meter,
            ClientIp clientIp) {
        this.enabled = enabled;
        this.routes = routes;
        this.rules = rules;
        this.limiter = limiter;
        this.meter = meter;
        this.clientIp = clientIp;
    }

    /**
     * Per-address rules; goes before authentication. For a request that {@code authenticatesCheaply}
     * (its token was verified before), they are left to {@link #afterAuthentication()}, which then
     * counts every rule of the request in one call.
     */
    public Filter beforeAuthentication(Predicate<HttpServletRequest> authenticatesCheaply) {
        return new RateLimitFilter("address", Set.of(KeyKind.IP), Set.of(), authenticatesCheaply, this);
    }

    /** Per-user and per-clinic rules, and the per-address ones left to it; goes after authentication. */
    public Filter afterAuthentication() {
        return new RateLimitFilter("principal", Set.of(KeyKind.USER, KeyKind.CLINIC), Set.of(KeyKind.IP),
                request -> false, this);
    }

    /** The key a rule of this kind counts the request on, or null when the rule does not apply to it. */
    String keyOf(KeyKind kind, HttpServletRequest request, CurrentUser user) {
        return switch (kind) {
            case IP -> ClientIp.rateKey(clientIp.of(request));
            case USER -> user == null ? null : user.id().toString();
            case CLINIC -> user == null || user.clinicId() == null ? null : user.clinicId().toString();
            case ACCOUNT -> null;
        };
    }

    boolean enabled() {
        return enabled;
    }

    RouteClasses routes() {
        return routes;
    }

    RuleBook rules() {
        return rules;
    }

    Limiter limiter() {
        return limiter;
    }

    RateLimitMeter meter() {
        return meter;
    }

    /** Where budgets are counted now: {@code shared} (Redis), {@code per-instance} (Redis unreachable) or {@code in-process} (no Redis). */
    String mode() {
        if (limiter instanceof ResilientLimiter resilient) {
            return resilient.inFallback() ? "per-instance" : "shared";
        }
        return "in-process";
    }
}
