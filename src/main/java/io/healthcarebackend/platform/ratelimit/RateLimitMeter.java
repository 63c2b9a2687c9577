package io.healthcarebackend.platform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code healthcare_rate_limited_total{rule, route_class}}: refused requests. Registered for every
 * rule and route class at start-up, so the series exist (at 0) before the first refusal.
 */
final class RateLimitMeter {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    RateLimitMeter(MeterRegistry meters, RuleBook rules) {
        this.meters = meters;
        rules.all().forEach(this::register);
    }

    void register(Rule rule) {
        rule.routeClasses().forEach(routeClass -> counter(rule.name(), routeClass));
    }

    void limited(String rule, String routeClass) {
        counter(rule, routeClass).increment();
    }

    private Counter counter(String rule, String routeClass) {
        return counters.computeIfAbsent(rule + "\u0000" + routeClass, k -> Counter.builder("healthcare.rate.limited")
                .description("Requests refused by a rate limit").tag("rule", rule).tag("route_class", routeClass)
                .register(meters));
    }
}
