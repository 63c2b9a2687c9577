package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the rules of the request's route class that count per the given kinds of key. Two
 * instances sit in the security filter chain: per-address rules before authentication (so a flood
 * is refused before any token is verified), per-user and per-clinic rules after it. A request whose
 * token this instance has already verified costs nothing to authenticate, so the first stage leaves
 * its rules to the second, which counts all of them in one call to the limiter (with Redis, one
 * round trip per request). The budget headers of the tightest rule so far go on every classified
 * response; a refusal is a 429 problem with {@code Retry-After}. A refused request is counted in
 * {@code healthcare_rate_limited_total}, not audited: a flood must not become a flood of writes.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final String TIGHTEST = RateLimitFilter.class.getName() + ".tightest";
    private static final String DEFERRED = RateLimitFilter.class.getName() + ".deferred";

    private final String stage;
    private final Map<String, List<Rule>> rulesByRouteClass;
    private final Map<String, List<Rule>> deferredByRouteClass;
    private final Predicate<HttpServletRequest> defer;
    private final RateLimits limits;

    /**
     * @param kinds    the kinds of key this stage counts
     * @param deferred the kinds of key an earlier stage may have left to this one
     * @param defer    whether this stage leaves its rules to the next one for a request
     */
    RateLimitFilter(String stage, Set<KeyKind> kinds, Set<KeyKind> deferred, Predicate<HttpServletRequest> defer,
            RateLimits limits) {
        this.stage = stage;
        this.rulesByRouteClass = limits.rules().byRouteClass(kinds);
        this.deferredByRouteClass = limits.rules().byRouteClass(deferred);
        this.defer = defer;
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
        if (routeClass != null && defer.test(request)) {
            request.setAttribute(DEFERRED, Boolean.TRUE);
            routeClass = null;
        }
        if (routeClass == null) {
            chain.doFilter(request, response);
            return;
        }
        List<Limiter.RuleKey> counted = counted(request, routeClass.name());
        Decision tightest = (Decision) request.getAttribute(TIGHTEST);
        if (!counted.isEmpty()) {
            List<Decision> decisions;
            try {
                decisions = limits.limiter().consumeAll(counted, routeClass.weight());
            } catch (RateLimitUnavailable e) {
                RateLimitHeaders.unavailable(request, response);
                return;
            } catch (RuntimeException e) {
                // A fault of our own must not turn every request into a 500: let it through, loudly.
                log.error("Rate limits {} could not be checked: {}", counted.stream().map(c -> c.rule().name())
                        .toList(), e.getClass().getSimpleName());
                decisions = List.of();
            }
            for (int i = 0; i < decisions.size(); i++) {
                Decision decision = decisions.get(i);
                if (!decision.allowed()) {
                    limits.meter().limited(counted.get(i).rule().name(), routeClass.name());
                    RateLimitHeaders.tooMany(request, response, decision);
                    return;
                }
                tightest = Decision.tighter(tightest, decision);
            }
        }
        if (tightest != null) {
            request.setAttribute(TIGHTEST, tightest);
            RateLimitHeaders.write(response, tightest);
        }
        chain.doFilter(request, response);
    }

    /** This stage's rules for the route class, after those an earlier stage left to it, with their keys. */
    private List<Limiter.RuleKey> counted(HttpServletRequest request, String routeClass) {
        CurrentUser user = signedIn();
        List<Limiter.RuleKey> counted = new ArrayList<>(4);
        if (request.getAttribute(DEFERRED) != null) {
            add(counted, deferredByRouteClass.getOrDefault(routeClass, List.of()), request, user);
        }
        add(counted, rulesByRouteClass.getOrDefault(routeClass, List.of()), request, user);
        return counted;
    }

    private void add(List<Limiter.RuleKey> counted, List<Rule> rules, HttpServletRequest request, CurrentUser user) {
        for (Rule rule : rules) {
            String key = limits.keyOf(rule.key(), request, user);
            if (key != null) {
                counted.add(new Limiter.RuleKey(rule, key));
            }
        }
    }

    private static CurrentUser signedIn() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof CurrentUser user ? user : null;
    }
}
