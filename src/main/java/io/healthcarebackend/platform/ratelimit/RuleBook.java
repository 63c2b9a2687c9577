package io.healthcarebackend.platform.ratelimit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The configured rules, checked against the route classes at start-up, and looked up by route class and key. */
final class RuleBook {

    private final List<Rule> rules;

    RuleBook(Map<String, RateLimitSettings.RuleSettings> settings, RouteClasses classes) {
        List<Rule> all = new ArrayList<>();
        settings.forEach((name, s) -> {
            Rule rule = new Rule(name, s.key(), new LinkedHashSet<>(s.routeClasses() == null ? List.of()
                    : s.routeClasses().stream().map(String::strip).toList()), s.algorithm(), s.limit(), s.window(),
                    s.failClosed());
            if (rule.key() == KeyKind.ACCOUNT) {
                throw new IllegalArgumentException("rate-limit rule " + name + ": per-account limits are set under "
                        + "app.rate-limits.login");
            }
            for (String routeClass : rule.routeClasses()) {
                if (!classes.exists(routeClass)) {
                    throw new IllegalArgumentException("rate-limit rule " + name + " names route class '"
                            + routeClass + "', which has no routes");
                }
                if (classes.weight(routeClass) > rule.limit()) {
                    throw new IllegalArgumentException("rate-limit rule " + name + ": a request of route class "
                            + routeClass + " costs more than the whole limit, so none would ever pass");
                }
            }
            all.add(rule);
        });
        all.sort(java.util.Comparator.comparing(Rule::key).thenComparing(Rule::name));
        this.rules = List.copyOf(all);
    }

    List<Rule> all() {
        return rules;
    }

    /** Per route class, its rules that count per one of the given kinds of key, in a stable order. */
    Map<String, List<Rule>> byRouteClass(Set<KeyKind> kinds) {
        Map<String, List<Rule>> byClass = new java.util.HashMap<>();
        for (Rule rule : rules) {
            if (kinds.contains(rule.key())) {
                rule.routeClasses().forEach(c -> byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(rule));
            }
        }
        byClass.replaceAll((c, list) -> List.copyOf(list));
        return Map.copyOf(byClass);
    }
}
