package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the rules of the request's route class that count per the given kinds of key. Two
 * instances sit in the security filter chain: per-address rules before authentication (so a flood
 * is refused before any token is verified), per-user and per-clinic rules after it. The budget
 * headers of the tightest rule so far go on every classified response; a refusal is a 429
 * problem with {@code Retry-After}. A refused request is counted in
 * {@code healthcare_rate_limited_total}, not audited: a flood must not become a flood of writes.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final String TIGHTEST = RateLimitFilter.class.getName() + ".tightest";

    private final String stage;
    private final Map<String, List<Rule>> rulesByRouteClass;
    private final RateLimits limits;

    RateLimitFilter(String stage, Set<KeyKind> kinds, RateLimits limits) {
        this.stage = stage;
        this.rulesByRouteClass = limits.rules().byRouteClass(kinds);
        this.limits = limits;
    }

    @Override
    protected String getAlreadyFilteredAttributeName() {
        return RateLimitFilter.class.getName() + "." + stage + ".FILTERED";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RouteClasses.RouteClass routeClass = limits.enabled() ? limits.routes().classify(request) : null;
        if (routeClass == null) {
            chain.doFilter(request, response);
            return;
        }
        Decision tightest = (Decision) request.getAttribute(TIGHTEST);
        CurrentUser user = signedIn();
        for (Rule rule : rulesByRouteClass.getOrDefault(routeClass.name(), List.of())) {
            String key = limits.keyOf(rule.key(), request, user);
            if (key == null) {
                continue;
            }
            Decision decision;
            try {
                decision = limits.limiter().consume(rule, key, routeClass.weight());
            } catch (RateLimitUnavailable e) {
                RateLimitHeaders.unavailable(request, response);
                return;
            } catch (RuntimeException e) {
                // A fault of our own must not turn every request into a 500: let it through, loudly.
                log.error("Rate limit {} could not be checked: {}", rule.name(), e.getClass().getSimpleName());
                continue;
            }
            if (!decision.allowed()) {
                limits.meter().limited(rule.name(), routeClass.name());
                RateLimitHeaders.tooMany(request, response, decision);
                return;
            }
            tightest = Decision.tighter(tightest, decision);
        }
        if (tightest != null) {
            request.setAttribute(TIGHTEST, tightest);
            RateLimitHeaders.write(response, tightest);
        }
        chain.doFilter(request, response);
    }

    private static CurrentUser signedIn() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof CurrentUser user ? user : null;
    }
}
