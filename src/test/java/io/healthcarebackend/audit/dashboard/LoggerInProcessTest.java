package io.healthcarebackend.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Without Redis (no REDIS_URL) the live tail runs from an in-process ring buffer. */
@TestPropertySource(properties = "app.redis.url=")
class LoggerInProcessTest extends ApiTest {

    @Test
    void withoutRedisTheTailIsServedFromProcessMemory() {
        Clinic clinic = newClinic();
        assertThat(api.get("/logger/api/me", clinic.adminToken).text("transport")).isEqualTo("in-process");

        try (LoggerTail tail = LoggerTail.open(port, clinic.adminToken)) {
            Api.Response created = api.post("/api/v1/patients", clinic.adminToken,
                    Map.of("givenName", "Ring", "familyName", "Buffer", "birthDate", "1970-05-06"));
            LoggerTail.Event frame = tail.await(LoggerTail.trace(created.header("X-Trace-Id")), Duration.ofSeconds(2));

            assertThat(frame).isNotNull();
            assertThat(frame.text("route")).isEqualTo("/api/v1/patients");
            assertThat(frame.text("clinicId")).isEqualTo(clinic.id);
        }
        // A new viewer gets the recent backlog of its clinic from the ring buffer.
        try (LoggerTail later = LoggerTail.open(port, clinic.adminToken)) {
            assertThat(later.await(f -> "/api/v1/patients".equals(f.text("route")), Duration.ofSeconds(2)))
                    .isNotNull();
        }
    }
}
