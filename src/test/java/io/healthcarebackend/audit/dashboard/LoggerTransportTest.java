package io.healthcarebackend.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With Redis, the live tail is one stream for all instances: an event caused on one instance
 * reaches a dashboard connected to another. And an instance that stops ends its open streams
 * instead of letting them hold up its graceful shutdown.
 */
class LoggerTransportTest extends ApiTest {

    @Test
    void anEventOnOneInstanceReachesADashboardOnAnotherAndStoppingEndsItsStreams() throws Exception {
        Clinic clinic = newClinic();
        ConfigurableApplicationContext second = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .properties("server.port=0").run();
        try {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            Api other = new Api(secondPort);
            String secondInstance = other.get("/logger/api/me", clinic.adminToken).text("instance");
            String firstInstance = api.get("/logger/api/me", clinic.adminToken).text("instance");
            assertThat(secondInstance).isNotBlank().isNotEqualTo(firstInstance);

            try (LoggerTail onFirst = LoggerTail.open(port, clinic.adminToken);
                    LoggerTail onSecond = LoggerTail.open(secondPort, clinic.adminToken)) {
                Api.Response created = other.post("/api/v1/patients", clinic.adminToken,
                        Map.of("givenName", "Two", "familyName", "Instances", "birthDate", "1970-05-06"));
                assertThat(created.status()).isEqualTo(201);
                String trace = created.header("X-Trace-Id");

                LoggerTail.Event seen = onFirst.await(LoggerTail.trace(trace), Duration.ofSeconds(2));
                assertThat(seen).as("the second instance's request on the first instance's tail").isNotNull();
                assertThat(seen.text("instance")).isEqualTo(secondInstance);
                assertThat(onSecond.await(LoggerTail.trace(trace), Duration.ofSeconds(2))).isNotNull();

                Instant closing = Instant.now();
                CompletableFuture.runAsync(second::close).get(20, TimeUnit.SECONDS);
                assertThat(Duration.between(closing, Instant.now())).as("shutdown with an open stream")
                        .isLessThan(Duration.ofSeconds(10));
                assertThat(onSecond.await(f -> false, Duration.ofSeconds(2)) == null && onSecond.ended())
                        .as("the stream on the stopped instance ended").isTrue();
            }
        } finally {
            second.close();
        }
    }

    /**
     * Another application starting in the JVM after one has stopped re-initialises Logback, which
     * drops every appender and listener; the tap must find its way back onto the root logger.
     */
    @Test
    void warningsStillReachTheTailAfterLoggingIsReconfigured() {
        Clinic clinic = newClinic();
        String instance = api.get("/logger/api/me", clinic.adminToken).text("instance");
        new SpringApplicationBuilder(HealthcareBackendApplication.class).properties("server.port=0").run().close();
        new SpringApplicationBuilder(HealthcareBackendApplication.class).properties("server.port=0").run().close();

        // After a full stop of the logger context the tap is re-attached by a once-a-second check,
        // so a warning logged in that second may be lost: warn until one arrives, within 5 s.
        try (LoggerTail tail = LoggerTail.open(port, clinic.adminToken)) {
            String trace = java.util.UUID.randomUUID().toString().replace("-", "");
            Instant deadline = Instant.now().plusSeconds(5);
            LoggerTail.Event seen = null;
            while (seen == null && Instant.now().isBefore(deadline)) {
                org.slf4j.MDC.put("trace.id", trace);
                org.slf4j.MDC.put("clinic.id", clinic.id);
                try {
                    org.slf4j.LoggerFactory.getLogger("io.healthcarebackend.scheduling.Reconfigured").warn("after reset");
                } finally {
                    org.slf4j.MDC.remove("trace.id");
                    org.slf4j.MDC.remove("clinic.id");
                }
                seen = tail.await(LoggerTail.trace(trace).and(f -> instance.equals(f.text("instance"))),
                        Duration.ofMillis(500));
            }
            assertThat(seen).as("the warning on this instance's tail").isNotNull();
        }
    }
}
