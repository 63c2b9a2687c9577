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
 * The probes. {@code /health} is the operator's view (database, Redis, uptime): 503 "degraded" when
 * a dependency is down. Readiness says only whether this instance takes traffic: 503 while it
 * drains on shutdown, so a load balancer stops sending it requests, and never because of a shared
 * dependency — Redis or the database down would take every instance out of the load balancer at
 * once, although each still answers (reads on valid tokens through a Redis outage, 503 problems
 * otherwise, which clients retry) — and asks none, so it answers at once. Liveness checks only the
 * process itself: a database outage must not get every pod restarted.
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
        return report();
    }

    /** Answers at once: it asks no dependency (a probe that waits on an unreachable Redis times out). */
    @GetMapping("/health/readiness")
    ResponseEntity<Map<String, Object>> readiness() {
        boolean accepting = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", accepting ? "ok" : "draining");
        body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        body.put("role", settings.role().name().toLowerCase());
        return ResponseEntity.status(accepting ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @GetMapping("/health/liveness")
    ResponseEntity<Map<String, Object>> liveness() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", live ? "ok" : "broken"));
    }

    private ResponseEntity<Map<String, Object>> report() {
        String database = databaseState();
        String redisState = redisState();
        boolean ok = database.equals("connected")
                && (redisState.equals("connected") || redisState.equals("not configured"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "ok" : "degraded");
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
