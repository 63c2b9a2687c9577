package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.config.RuntimeSettings;
import io.lettuce.core.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires rate limiting from {@code app.rate-limits}: shared limits in Redis when
 * {@code RATE_LIMIT_REDIS_URL} (default: {@code REDIS_URL}) is set, else in-process limits behind
 * the same interface. A configuration mistake (unknown route class, bad route, zero limit) stops
 * the start with a message naming it.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${app.rate-limits.redis-url:}' != ''")
    RedisLink rateLimitRedis(RateLimitSettings settings, ObjectProvider<Tracing> tracing) {
        return new RedisLink(settings.redisUrl(), settings.redisTimeout(), tracing.getIfAvailable());
    }

    /** Closed with the context (a {@link ResilientLimiter} stops its probe), before the Redis link it uses. */
    @Bean
    Limiter rateLimiter(RateLimitSettings settings, RuntimeSettings runtime, ObjectProvider<RedisLink> redis,
            MeterRegistry meters, Clock clock) {
        RedisLink link = redis.getIfAvailable();
        if (link == null) {
            return new LocalLimiter(1, clock);
        }
        return new ResilientLimiter(link, runtime.redis().keyPrefix(),
                new LocalLimiter(settings.expectedInstances(), clock), new FallbackState(meters));
    }

    @Bean
    RateLimits rateLimits(RateLimitSettings settings, Limiter limiter, MeterRegistry meters, ClientIp clientIp) {
        RouteClasses routes = new RouteClasses(settings.routeClasses());
        RuleBook rules = new RuleBook(settings.rules(), routes);
        return new RateLimits(settings.enabled(), routes, rules, limiter, new RateLimitMeter(meters, rules), clientIp);
    }

    @Bean
    LoginThrottle loginThrottle(RateLimitSettings settings, Limiter limiter, RateLimits limits, ClientIp clientIp,
            @Value("${app.phi.index-key}") String indexKey) {
        RateLimitSettings.Login login = settings.login();
        if (!settings.enabled() || login == null) {
            return AccountThrottle.disabled();
        }
        AccountThrottle.Rules rules = new AccountThrottle.Rules(
                rule("login-account", login.perAccount()),
                rule("login-known-source", login.perAccount()),
                rule("login-account-hourly", login.hourlyCap()),
                login.knownSourceTtl() == null ? Duration.ofDays(30) : login.knownSourceTtl());
        List.of(rules.perAccount(), rules.perKnownSource(), rules.hourlyCap()).forEach(limits.meter()::register);
        return new AccountThrottle(limiter, rules, new AccountKeys(indexKey), clientIp, limits.meter());
    }

    private static Rule rule(String name, RateLimitSettings.LimitSettings limit) {
        if (limit == null) {
            throw new IllegalArgumentException("app.rate-limits.login: the limits of " + name + " are missing");
        }
        return new Rule(name, KeyKind.ACCOUNT, Set.of(AccountThrottle.ROUTE_CLASS), limit.algorithm(), limit.limit(),
                limit.window(), true);
    }
}
