package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.config.RuntimeSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Redis-backed clinic event logs when {@code REDIS_URL} is set, in-process ones otherwise. */
@Configuration(proxyBeanMethods = false)
class StreamConfig {

    @Bean
    ClinicEvents clinicEvents(RuntimeSettings runtime, StreamSettings settings, StreamHub hub, Clock clock,
            ObjectProvider<StringRedisTemplate> redis, ObjectProvider<LettuceConnectionFactory> factory) {
        LettuceConnectionFactory lettuce = runtime.redisEnabled() ? factory.getIfAvailable() : null;
        if (lettuce == null || !(lettuce.getRequiredNativeClient() instanceof RedisClient client)) {
            return new InProcessClinicEvents(hub, settings, clock);
        }
        String prefix = runtime.redis().keyPrefix();
        RedisClinicEvents events = new RedisClinicEvents(redis.getObject(), client,
                RedisURI.create(runtime.redis().url()), clientName(prefix), hub, prefix, settings);
        events.start();
        return events;
    }

    /** {@code <prefix>events:<host>-<random>}: which instance's subscription a connection is. */
    private static String clientName(String prefix) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "instance";
        }
        String name = prefix + "events:" + host + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return name.replaceAll("[^A-Za-z0-9:._-]", "_");
    }
}
