package io.healthcarebackend.platform.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.tracing.Tracing;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Connects to Redis only when {@code REDIS_URL} is set. Without it the service runs single-node:
 * the same interfaces are served from PostgreSQL or process memory.
 *
 * <p>No request waits on Redis longer than {@code REDIS_TIMEOUT} (2 s): connecting, and every
 * command, time out after it; while the connection is down commands are refused at once instead of
 * queued, so callers degrade (the session check fails open) or answer 503 without waiting. Lettuce
 * reconnects by itself in the background (pub/sub subscriptions included): no restart after an
 * outage.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${app.redis.url:}' != ''")
class RedisConfig {

    /**
     * Without Lettuce's per-command latency histograms (recorded on every command, never read).
     * Reconnect attempts back off to one a second at most (Lettuce's default grows to 30 s, which
     * would keep sign-in refused for up to half a minute after Redis is back). With tracing on,
     * commands issued inside a trace get spans ({@code platform.tracing}: command names only).
     */
    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources(ObjectProvider<Tracing> tracing) {
        ClientResources.Builder builder = ClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS));
        tracing.ifAvailable(builder::tracing);
        return builder.build();
    }

    @Bean
    LettuceConnectionFactory redisConnectionFactory(RuntimeSettings settings, ClientResources resources,
            @Value("${app.redis.timeout:2s}") Duration timeout) {
        RedisURI uri = RedisURI.create(settings.redis().url());
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        standalone.setDatabase(uri.getDatabase());
        if (uri.getUsername() != null) {
            standalone.setUsername(uri.getUsername());
        }
        if (uri.getPassword() != null && uri.getPassword().length > 0) {
            standalone.setPassword(uri.getPassword());
        }
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .commandTimeout(timeout).clientResources(resources)
                .clientOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .build());
        if (uri.isSsl()) {
            client.useSsl();
        }
        return new LettuceConnectionFactory(standalone, client.build());
    }

    @Bean
    StringRedisTemplate stringRedisTemplate(LettuceConnectionFactory factory) {
        return new StringRedisTemplate(factory);
    }
}
