package io.healthcarebackend.platform;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Database outages against the run's real PostgreSQL answer 503 problem+json with a code, a
 * Retry-After and nothing else — no 500, no stack trace, no PHI: a pool with no connection left,
 * statements cancelled at the request's budget, the database dropping every connection of the
 * service (pg_terminate_backend, as a restart does) while requests are in flight, and a connection
 * lost during COMMIT, whose outcome the service cannot know (OUTCOME_UNKNOWN). Afterwards the
 * service works again without a restart. The pool is tiny (4, 1 s to get a connection) and the
 * request budget short (6 s) so every outage is quick to provoke.
 */
@TestPropertySource(properties = {"spring.datasource.hikari.maximum-pool-size=4",
        "spring.datasource.hikari.connection-timeout=1000", "app.http.request-timeout=6s"})
class DatabaseOutageTest extends ApiTest {

    private static final String GIVEN = "Zebulon";
    private static final String FAMILY = "Quartzfeld";
    private static final List<String> OUTAGE_CODES = List.of("SERVICE_UNAVAILABLE", "REQUEST_TIMEOUT");

    @Test
    void anExhaustedPoolAndStatementsPastTheBudgetAre503ProblemsAndTheServiceCarriesOn() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient(GIVEN, FAMILY, "1970-01-01");

        List<Api.Response> answers;
        try (Connection blocker = TestDatabase.superuserOnTestDb(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("lock table patients in access exclusive mode");
            // Six requests for four connections, each holding its connection in the lock wait until its
            // budget is spent: those without a connection get none within the pool's timeout.
            answers = concurrently(6, () -> api.get("/api/v1/patients/" + patient, clinic.adminToken));
            blocker.rollback();
        }

        for (Api.Response answer : answers) {
            assertOutage(answer);
            assertThat(answer.text("code")).isIn(OUTAGE_CODES);
        }
        assertThat(answers).as("pool exhausted").anySatisfy(a -> assertThat(a.text("code"))
                .isEqualTo("SERVICE_UNAVAILABLE"));
        assertThat(answers).as("statement cancelled at the budget").anySatisfy(a -> assertThat(a.text("code"))
                .isEqualTo("REQUEST_TIMEOUT"));
        assertThat(api.get("/api/v1/patients/" + patient, clinic.adminToken).status()).isEqualTo(200);
    }

    @Test
    void connectionsDroppedByTheDatabaseMidRequestAre503ProblemsAndTheServiceRecoversByItself() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient(GIVEN, FAMILY, "1970-01-01");

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Connection blocker = TestDatabase.superuserOnTestDb(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("lock table patients in access exclusive mode");
            Future<Api.Response> read = pool.submit(() -> api.get("/api/v1/patients/" + patient, clinic.adminToken));
            Future<Api.Response> write = pool.submit(() -> api.patch("/api/v1/patients/" + patient,
                    clinic.adminToken, Map.of("givenName", "Changed")));
            assertThat(await(() -> waitingOnLock() >= 2)).as("both requests wait on the lock").isTrue();

            int terminated = terminateServiceConnections();
            assertThat(terminated).isPositive();
            blocker.rollback();

            for (Api.Response answer : List.of(read.get(60, TimeUnit.SECONDS), write.get(60, TimeUnit.SECONDS))) {
                assertOutage(answer);
                assertThat(answer.text("code")).isEqualTo("SERVICE_UNAVAILABLE");
            }
        } finally {
            pool.shutdownNow();
        }
        // The pool's other connections died too: whatever meets one is a 503 problem, never a 500, and
        // the pool replaces them by itself.
        for (int i = 0; i < 10; i++) {
            Api.Response after = api.get("/api/v1/patients/" + patient, clinic.adminToken);
            if (after.status() != 200) {
                assertOutage(after);
            }
        }
        assertThat(await(() -> api.get("/api/v1/patients/" + patient, clinic.adminToken).status() == 200))
                .as("served again without a restart").isTrue();
        Api.Response unchanged = api.get("/api/v1/patients/" + patient, clinic.adminToken);
        assertThat(unchanged.text("givenName")).as("the cut-off write changed nothing").isEqualTo(GIVEN);
    }

    /**
     * The connection dies while COMMIT runs: a deferred trigger (test-only, on this clinic's bookings
     * alone) terminates its own backend at commit time. The service cannot know whether PostgreSQL
     * committed, so it says so, and a retry with the same Idempotency-Key is the way out.
     */
    @Test
    void aConnectionLostAtCommitIsA503SayingTheOutcomeIsUnknownAndTheSameIdempotencyKeyResolvesIt()
            throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient(GIVEN, FAMILY, "1970-01-01");
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(3, 10, 0);
        Map<String, Object> booking = Map.of("patientId", patient, "practitionerId", practitioner,
                "start", start.toString(), "end", start.plus(Duration.ofMinutes(30)).toString());
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response lost;
        try (Connection admin = TestDatabase.superuserOnTestDb(); Statement s = admin.createStatement()) {
            s.execute("create schema test_outage");
            s.execute("""
                    create function test_outage.die_at_commit() returns trigger language plpgsql as $$
                    begin
                      perform pg_terminate_backend(pg_backend_pid());
                      perform pg_sleep(10);
                      return null;
                    end $$""");
            s.execute("grant usage on schema test_outage to public");
            s.execute("create constraint trigger test_outage_die_at_commit after insert on appointments "
                    + "deferrable initially deferred for each row when (new.clinic_id = '" + clinic.id + "') "
                    + "execute function test_outage.die_at_commit()");
            try {
                lost = api.post("/api/v1/appointments", clinic.adminToken, booking, key);
            } finally {
                s.execute("drop schema test_outage cascade");
            }
        }

        assertOutage(lost);
        assertThat(lost.text("code")).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(lost.text("detail")).contains("may or may not have been saved").contains("Idempotency-Key");
        assertThat(await(() -> api.post("/api/v1/appointments", clinic.adminToken, booking, key).status() == 201))
                .as("the same request with the same key settles it").isTrue();
        Api.Response list = api.get("/api/v1/appointments?patientId=" + patient, clinic.adminToken);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.items()).as("booked exactly once").hasSize(1);
    }

    private static void assertOutage(Api.Response answer) {
        assertProblem(answer, 503, answer.text("code"));
        assertThat(answer.text("code")).isNotBlank();
        assertThat(answer.header("Retry-After")).as("Retry-After of %s", answer).isNotBlank();
        assertThat(answer.raw().body()).doesNotContain(GIVEN).doesNotContain(FAMILY).doesNotContain("SQL")
                .doesNotContain("PSQL").doesNotContain("terminating");
    }

    private static List<Api.Response> concurrently(int count, Callable<Api.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(request));
            }
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The service's connections to this run's database waiting on a lock. */
    private static int waitingOnLock() {
        return count("select count(*) from pg_stat_activity where datname = '" + TestDatabase.NAME
                + "' and application_name = 'healthcare-backend' and wait_event_type = 'Lock'");
    }

    /** What a database restart does to the service's connections: every one of them is cut. */
    private static int terminateServiceConnections() {
        return count("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + TestDatabase.NAME + "' and application_name = 'healthcare-backend') t");
    }

    private static int count(String sql) {
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition for up to 30 seconds. */
    private static boolean await(Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
