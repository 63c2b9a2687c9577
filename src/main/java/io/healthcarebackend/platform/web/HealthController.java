package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.config.RuntimeSettings;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The probes. {@code /health} is the operator's view (database, Redis, uptime); readiness also
 * turns 503 while the instance drains on shutdown, so a load balancer stops sending it requests.
 * Liveness checks only the process itself: a database outage must not get every pod restarted.
 */
@RestController
class HealthController {

    private final DataSource dataSource;
    private final ObjectProvider<StringRedisTemplate> redis;
    private final RuntimeSettings settings;
    private final ApplicationAvailability availability;

    HealthController(DataSource dataSource, ObjectProvider<StringRedisTemplate> redis, RuntimeSettings settings,
            ApplicationAvailability availability) {
        this.dataSource = dataSource;
        this.redis = redis;
        this.settings = settings;
        this.availability = availability;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        return report(true);
    }

    @GetMapping("/health/readiness")
    ResponseEntity<Map<String, Object>> readiness() {
        return report(availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
    }

    @GetMapping("/health/liveness")
    ResponseEntity<Map<String, Object>> liveness() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", live ? "ok" : "broken"));
    }

    private ResponseEntity<Map<String, Object>> report(boolean accepting) {
        String database = databaseState();
        String redisState = redisState();
        boolean ok = accepting && database.equals("connected")
                && (redisState.equals("connected") || redisState.equals("not configured"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "ok" : (accepting ? "degraded" : "draining"));
        body.put("database", database);
        body.put("redis", redisState);
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        body.put("role", settings.role().name().toLowerCase());
        return ResponseEntity.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    private String databaseState() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2) ? "connected" : "disconnected";
        } catch (Exception e) {
            return "disconnected";
        }
    }

    private String redisState() {
        if (!settings.redisEnabled()) {
            return "not configured";
        }
        try {
            StringRedisTemplate template = redis.getIfAvailable();
            String pong = template == null ? null
                    : template.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping());
            return "PONG".equals(pong) ? "connected" : "disconnected";
        } catch (Exception e) {
            return "disconnected";
        }
    }
}
