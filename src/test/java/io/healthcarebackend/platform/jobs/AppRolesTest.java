package io.healthcarebackend.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code APP_ROLE=api} serves HTTP and runs no job (this test's own context); {@code APP_ROLE=worker}
 * runs jobs and answers only /health and /metrics.
 */
class AppRolesTest extends ApiTest {

    @Autowired
    Scheduler scheduler;

    @Test
    void anApiInstanceQueuesJobsButRunsNone() throws Exception {
        assertThat(scheduler.getSchedulerState().isStarted()).isFalse();
        Clinic clinic = newClinic();
        Api.Response booked = clinic.book(clinic.adminToken, clinic.patient(), clinic.practitioner(), clinic.at(2, 10, 0));
        assertThat(booked.status()).isEqualTo(201);
        Thread.sleep(Duration.ofSeconds(3));
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) filter (where not picked), count(*) from scheduled_tasks "
                        + "where task_instance like '" + booked.text("id") + ".%'")) {
            rs.next();
            assertThat(rs.getInt(2)).as("queued").isEqualTo(3);
            assertThat(rs.getInt(1)).as("none claimed by this instance").isEqualTo(3);
        }
    }

    @Test
    void aWorkerRunsJobsAndServesOnlyHealthAndMetrics() {
        try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .run("--server.port=0", "--app.role=worker")) {
            assertThat(worker.getBean(Scheduler.class).getSchedulerState().isStarted()).isTrue();
            int port = Integer.parseInt(worker.getEnvironment().getProperty("local.server.port"));
            Api workerApi = new Api(port);
            assertThat(workerApi.get("/health", null).status()).isEqualTo(200);
            Api.Response metrics = workerApi.get("/metrics", null, Map.of("Accept", "text/plain"));
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw().body()).contains("healthcare_queue_depth{").contains("task=\"appointment-reminder\"");
            for (String path : new String[] {"/api/v1/clinics", "/logger", "/queue-dashboard", "/api/v1/auth/login"}) {
                Api.Response refused = workerApi.get(path, null);
                assertThat(refused.status()).as(path).isEqualTo(404);
                assertThat(refused.text("code")).isEqualTo("NOT_FOUND");
            }
            Api.Response login = workerApi.post("/api/v1/auth/login", null,
                    Map.of("email", PLATFORM_EMAIL, "password", PLATFORM_PASSWORD));
            assertThat(login.status()).isEqualTo(404);
        }
    }
}
