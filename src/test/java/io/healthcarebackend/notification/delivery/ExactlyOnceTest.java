package io.healthcarebackend.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import io.healthcarebackend.support.WorkerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once effect across a crash: a worker process is killed with SIGKILL in the middle of a
 * batch of 1,000 SMS messages, another worker process takes over, and every message reaches the
 * provider exactly once — none lost, none delivered twice — each recorded as sent with the
 * provider's id. This JVM is an API instance and runs no job itself.
 */
class ExactlyOnceTest extends ApiTest {

    private static final int APPOINTMENTS = 250;
    private static final int MESSAGES = APPOINTMENTS * 4;
    private static final String PHONE_PREFIX = "+4917000";
    /** Clients booking at once: the batch is set up over the API as before, only not one call at a time. */
    private static final int BOOKING_CLIENTS = 4;

    @Test
    void killingAWorkerMidBatchLosesNothingAndDuplicatesNothing() throws Exception {
        Clinic clinic = newClinic();
        Map<String, Object> settings = Map.of("confirmations", true, "reminderOffsetsMinutes",
                List.of(1440, 120, 60), "channels", List.of("SMS"));
        assertThat(api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", clinic.adminToken, settings)
                .status()).isEqualTo(200);
        long started = System.nanoTime();
        List<String> appointments = bookWithPhones(clinic);
        assertThat(dueNow(appointments)).as("queued messages").isEqualTo(MESSAGES);
        long booked = System.nanoTime();

        try (IdempotentSmsProvider provider = new IdempotentSmsProvider(25)) {
            Path logs = Files.createTempDirectory("hb-exactly-once");
            Process first = worker(provider, logs.resolve("worker-1.log"));
            int atKill;
            try {
                WorkerTest.await("the first worker is a quarter through", Duration.ofSeconds(120),
                        () -> alive(first) && provider.delivered.size() >= MESSAGES / 4);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
                first.waitFor();
                atKill = provider.delivered.size();
            }
            long killed = System.nanoTime();
            assertThat(atKill).as("killed in the middle of the batch").isLessThan(MESSAGES);

            Process second = worker(provider, logs.resolve("worker-2.log"));
            try {
                WorkerTest.await("every message is recorded as sent", Duration.ofSeconds(180),
                        () -> alive(second) && sent(clinic).size() == MESSAGES);
            } finally {
                second.destroy();
                second.waitFor();
            }

            Map<String, String> recorded = sent(clinic);
            // Workers also send whatever else is due in the run's database: only this clinic's patients count.
            List<IdempotentSmsProvider.Message> ours = provider.delivered.values().stream()
                    .filter(m -> m.to().startsWith(PHONE_PREFIX)).toList();
            assertThat(ours).hasSize(MESSAGES);
            assertThat(ours.stream().map(IdempotentSmsProvider.Message::key)).containsExactlyInAnyOrderElementsOf(
                    recorded.keySet());
            ours.forEach(message -> assertThat(recorded.get(message.key())).as("provider id of %s", message.key())
                    .isEqualTo(message.sid()));
            // Each patient gets exactly its confirmation and its three reminders: a message sent again
            // under another key (which no provider could recognise) would show here as a fifth.
            Map<String, Long> perRecipient = ours.stream()
                    .collect(Collectors.groupingBy(IdempotentSmsProvider.Message::to, Collectors.counting()));
            assertThat(perRecipient).hasSize(APPOINTMENTS);
            assertThat(perRecipient.values()).as("messages per patient").allMatch(n -> n == 4);
            assertThat(ours.stream().filter(m -> m.body().startsWith("Your appointment"))).hasSize(APPOINTMENTS);
            assertThat(dueNow(appointments)).as("no job left").isZero();
            System.out.printf("exactly-once: %d messages, %d delivered before SIGKILL, %d provider requests, "
                    + "%d resends answered from the idempotency key; booked in %.1f s, killed %.1f s later, all sent "
                    + "%.1f s after that%n", MESSAGES, atKill, provider.requests.get(), provider.repeats.get(),
                    (booked - started) / 1e9, (killed - booked) / 1e9, (System.nanoTime() - killed) / 1e9);
        }
    }

    private static boolean alive(Process worker) {
        assertThat(worker.isAlive()).as("the worker process runs (its log is in the temp directory)").isTrue();
        return true;
    }

    /**
     * APPOINTMENTS patients with phone numbers, each booked once (25 practitioners, 10 slots each),
     * by BOOKING_CLIENTS clients at once: every slot is a different one, so no two calls compete.
     */
    private List<String> bookWithPhones(Clinic clinic) throws Exception {
        try (ExecutorService clients = Executors.newFixedThreadPool(BOOKING_CLIENTS)) {
            List<Future<String>> created = new ArrayList<>();
            for (int p = 0; p < APPOINTMENTS / 10; p++) {
                created.add(clients.submit(clinic::practitioner));
            }
            List<String> practitioners = new ArrayList<>();
            for (Future<String> practitioner : created) {
                practitioners.add(practitioner.get(2, TimeUnit.MINUTES));
            }
            List<Future<String>> booked = new ArrayList<>();
            for (int i = 0; i < APPOINTMENTS; i++) {
                int n = i;
                booked.add(clients.submit(() -> bookWithPhone(clinic, n, practitioners.get(n / 10))));
            }
            List<String> appointments = new ArrayList<>();
            for (Future<String> appointment : booked) {
                appointments.add(appointment.get(2, TimeUnit.MINUTES));
            }
            return appointments;
        }
    }

    private String bookWithPhone(Clinic clinic, int i, String practitioner) {
        Api.Response patient = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "Bulk",
                "familyName", "Patient", "birthDate", "1990-01-01", "phone", PHONE_PREFIX + String.format("%06d", i)));
        assertThat(patient.status()).as("%s", patient).isEqualTo(201);
        Instant start = clinic.at(3, 8 + (i % 10) / 2, (i % 2) * 30);
        Api.Response booked = clinic.book(clinic.adminToken, patient.text("id"), practitioner, start);
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    /** Makes the appointments' queued messages due now; returns how many are queued. */
    private static int dueNow(List<String> appointments) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update scheduled_tasks set execution_time = now() where split_part(task_instance, '.', 1) = any(?)")) {
            s.setArray(1, c.createArrayOf("text", appointments.toArray()));
            return s.executeUpdate();
        }
    }

    /** Idempotency key → provider id of the clinic's sent deliveries. */
    private static Map<String, String> sent(Clinic clinic) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select idempotency_key, provider_id from notification_deliveries where clinic_id = ? and status = 'SENT'")) {
            s.setObject(1, UUID.fromString(clinic.id));
            Map<String, String> sent = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sent.put(rs.getString(1), rs.getString(2));
                }
            }
            return sent;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A worker process of the same build, on the run's database, sending SMS to the provider. Started
     * with the C1 compiler only and the serial collector: about half the CPU time to start, which is
     * most of what this process does (the JIT tier changes no behaviour).
     */
    private static Process worker(IdempotentSmsProvider provider, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.healthcarebackend.HealthcareBackendApplication",
                "--server.port=0", "--spring.profiles.active=test", "--app.role=worker",
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--app.phi.keystore.url=" + TestDatabase.keysJdbcUrl(),
                "--app.redis.url=" + TestDatabase.REDIS_URL, "--app.redis.key-prefix=" + TestDatabase.REDIS_PREFIX,
                "--app.phi.dev-master-keyset-file=" + System.getProperty("app.phi.dev-master-keyset-file"),
                "--app.jwt.dev-key-file=" + System.getProperty("app.jwt.dev-key-file"),
                "--app.audit.dev-key-file=" + System.getProperty("app.audit.dev-key-file"),
                "--app.audit.checkpoint-dir=" + System.getProperty("app.audit.checkpoint-dir"),
                "--db-scheduler.threads=4", "--db-scheduler.polling-interval=200ms",
                "--db-scheduler.heartbeat-interval=1s", "--db-scheduler.missed-heartbeats-limit=4",
                "--app.notifications.channels.sms.provider-url=" + provider.url(),
                "--app.notifications.channels.sms.account-sid=" + WorkerTest.SMS_SID,
                "--app.notifications.channels.sms.auth-token=test-token",
                "--app.notifications.channels.sms.from=+15550000000"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
