package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/rate-limits}: the caller's current budget under every rule that counts
 * their requests (per their address, user and clinic), looked at without spending anything.
 */
@RestController
class RateLimitsController {

    private final RateLimits limits;

    RateLimitsController(RateLimits limits) {
        this.limits = limits;
    }

    record Budget(String rule, String key, List<String> routeClasses, String algorithm, long limit, long remaining,
            long resetSeconds, long windowSeconds) {
    }

    record Budgets(boolean enabled, String mode, Map<String, Integer> weights, List<Budget> items) {
    }

    @GetMapping("/api/v1/rate-limits")
    Budgets budgets(@AuthenticationPrincipal CurrentUser user, HttpServletRequest request) {
        List<Budget> items = new ArrayList<>();
        for (Rule rule : limits.rules().all()) {
            String key = limits.keyOf(rule.key(), request, user);
            if (key == null) {
                continue;
            }
            Decision now = limits.limiter().peek(rule, key);
            items.add(new Budget(rule.name(), rule.key().configName(), rule.routeClasses().stream().sorted().toList(),
                    rule.algorithm().configName(), now.limit(), now.remaining(), now.resetSeconds(),
                    rule.window().toSeconds()));
        }
        return new Budgets(limits.enabled(), limits.mode(), limits.routes().weights(), items);
    }
}
