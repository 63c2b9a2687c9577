package io.healthcarebackend.platform.stream;

import io.healthcarebackend.platform.config.RuntimeSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Ended sessions are signalled through Redis when {@code REDIS_URL} is set; a lone instance needs no signal. */
@Configuration(proxyBeanMethods = false)
class StreamLifetimeConfig {

    @Bean
    SessionEndSignal sessionEndSignal(RuntimeSettings runtime, ObjectProvider<StringRedisTemplate> redis,
            ObjectProvider<LettuceConnectionFactory> factory) {
        LettuceConnectionFactory lettuce = runtime.redisEnabled() ? factory.getIfAvailable() : null;
        if (lettuce == null || !(lettuce.getRequiredNativeClient() instanceof RedisClient client)) {
            return SessionEndSignal.NONE;
        }
        RedisURI uri = RedisURI.create(runtime.redis().url());
        uri.setClientName((runtime.redis().keyPrefix() + "sessions-ended").replaceAll("[^A-Za-z0-9:._-]", "_"));
        return new RedisSessionEndSignal(redis.getObject(), client, uri, runtime.redis().keyPrefix());
    }
}
