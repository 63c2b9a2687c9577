package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Double-booking under real concurrency: many requests for one slot are released at the same
 * moment from virtual threads, and the database (read as superuser, past row-level security)
 * must end up with exactly one active appointment, while every loser gets a clean 409.
 */
class ConcurrentBookingTest extends ApiTest {

    private static final int REQUESTS = 50;
    private static final Duration SLOT = Duration.ofMinutes(30);

    @Test
    void fiftySimultaneousBookingsOfOneSlotYieldExactlyOneAppointment() throws Exception {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            patients.add(clinic.patient("Concurrent", "Patient" + i, "1985-05-05"));
        }
        Instant start = clinic.at(1, 10, 0);

        List<Api.Response> responses = simultaneously(i -> clinic.book(clinic.adminToken, patients.get(i),
                practitioner, start));

        assertExactlyOneWinner(responses);
        assertThat(activeAppointmentsOfPractitioner(practitioner, start)).isEqualTo(1);
        assertThat(allAppointmentsOfPractitioner(practitioner)).as("losers leave no rows behind").isEqualTo(1);
        String winner = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().text("patientId");
        assertThat(patients).contains(winner);
    }

    @Test
    void fiftySimultaneousBookingsOfOnePatientWithDifferentPractitionersYieldExactlyOneAppointment()
            throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient("Busy", "Patient", "1975-07-07");
        List<String> practitioners = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            practitioners.add(clinic.practitioner());
        }
        Instant start = clinic.at(1, 10, 0);

        List<Api.Response> responses = simultaneously(i -> clinic.book(clinic.adminToken, patient,
                practitioners.get(i), start));

        assertExactlyOneWinner(responses);
        assertThat(activeAppointmentsOfPatient(patient, start)).isEqualTo(1);
    }

    @Test
    void simultaneousRetriesWithOneIdempotencyKeyBookOnceAndAllSeeTheSameAppointment() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(1, 10, 0);
        Map<String, Object> body = Map.of("patientId", patient, "practitionerId", practitioner,
                "start", start.toString(), "end", start.plus(SLOT).toString());
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());

        List<Api.Response> responses = simultaneously(10,
                i -> api.post("/api/v1/appointments", clinic.adminToken, body, key));

        assertThat(responses).as("every retry gets the original 201").allSatisfy(r ->
                assertThat(r.status()).as("%s", r).isEqualTo(201));
        assertThat(responses.stream().map(r -> r.text("id")).distinct()).hasSize(1);
        assertThat(activeAppointmentsOfPractitioner(practitioner, start)).isEqualTo(1);
        assertThat(allAppointmentsOfPractitioner(practitioner)).isEqualTo(1);
    }

    @Test
    void simultaneousReschedulesOntoOneFreeSlotMoveExactlyOneAppointment() throws Exception {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        int count = 10;
        List<String> appointments = new ArrayList<>();
        List<Instant> originalStarts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant start = clinic.at(1, 8, 0).plus(SLOT.multipliedBy(i));
            Api.Response booked = clinic.book(clinic.adminToken, clinic.patient(), practitioner, start);
            assertThat(booked.status()).as("%s", booked).isEqualTo(201);
            appointments.add(booked.text("id"));
            originalStarts.add(start);
        }
        Instant target = clinic.at(1, 15, 0);

        List<Api.Response> responses = simultaneously(count, i -> api.post("/api/v1/appointments/"
                + appointments.get(i) + "/reschedule", clinic.adminToken,
                Map.of("start", target.toString(), "end", target.plus(SLOT).toString())));

        assertThat(responses).as("no request may fail with a server error")
                .noneSatisfy(r -> assertThat(r.status()).isGreaterThanOrEqualTo(500));
        assertThat(responses).filteredOn(r -> r.status() == 200).as("moved").hasSize(1);
        responses.stream().filter(r -> r.status() != 200).forEach(r -> assertProblem(r, 409, "SLOT_TAKEN"));
        assertThat(activeAppointmentsOfPractitioner(practitioner, target)).isEqualTo(1);
        for (int i = 0; i < count; i++) {
            Api.Response read = api.get("/api/v1/appointments/" + appointments.get(i), clinic.adminToken);
            Instant expected = responses.get(i).status() == 200 ? target : originalStarts.get(i);
            assertThat(Instant.parse(read.text("start"))).as("appointment %d", i).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertExactlyOneWinner(List<Api.Response> responses) {
        assertThat(responses).hasSize(REQUESTS);
        assertThat(responses).as("no request may fail with a server error")
                .noneSatisfy(r -> assertThat(r.status()).isGreaterThanOrEqualTo(500));
        assertThat(responses).filteredOn(r -> r.status() == 201).as("winners").hasSize(1);
        List<Api.Response> losers = responses.stream().filter(r -> r.status() != 201).toList();
        assertThat(losers).hasSize(REQUESTS - 1);
        losers.forEach(r -> assertProblem(r, 409, "SLOT_TAKEN"));
    }

    private static List<Api.Response> simultaneously(IntFunction<Api.Response> request) throws Exception {
        return simultaneously(REQUESTS, request);
    }

    /** Starts every request on its own virtual thread and releases them together through one gate. */
    private static List<Api.Response> simultaneously(int count, IntFunction<Api.Response> request)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return request.apply(index);
                }));
            }
            ready.await();
            gate.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }

    private static long activeAppointmentsOfPractitioner(String practitioner, Instant start) throws SQLException {
        return count("select count(*) from appointments where practitioner_id = ? "
                + "and status in ('BOOKED', 'CHECKED_IN') and tstzrange(start_at, end_at) && tstzrange(?, ?)",
                practitioner, start);
    }

    private static long activeAppointmentsOfPatient(String patient, Instant start) throws SQLException {
        return count("select count(*) from appointments where patient_id = ? "
                + "and status in ('BOOKED', 'CHECKED_IN') and tstzrange(start_at, end_at) && tstzrange(?, ?)",
                patient, start);
    }

    private static long allAppointmentsOfPractitioner(String practitioner) throws SQLException {
        try (Connection db = TestDatabase.superuserOnTestDb();
                PreparedStatement query = db.prepareStatement(
                        "select count(*) from appointments where practitioner_id = ?")) {
            query.setObject(1, UUID.fromString(practitioner));
            return single(query);
        }
    }

    private static long count(String sql, String id, Instant start) throws SQLException {
        try (Connection db = TestDatabase.superuserOnTestDb(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(id));
            query.setTimestamp(2, Timestamp.from(start));
            query.setTimestamp(3, Timestamp.from(start.plus(SLOT)));
            return single(query);
        }
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
