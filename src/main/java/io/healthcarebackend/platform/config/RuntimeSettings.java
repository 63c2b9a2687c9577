package io.healthcarebackend.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Instance-wide settings: its role and where Redis is (blank = single-node mode, no Redis). */
@ConfigurationProperties("app")
public record RuntimeSettings(AppRole role, Redis redis) {

    public RuntimeSettings {
        role = role == null ? AppRole.ALL : role;
        redis = redis == null ? new Redis("", "hb:") : redis;
    }

    public boolean redisEnabled() {
        return redis.url() != null && !redis.url().isBlank();
    }

    public record Redis(String url, String keyPrefix) {
    }
}
