package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Clinic B must not be able to see, change or even detect clinic A's data: through the API every
 * A id is a 404 exactly like an id that does not exist, and in the database the application role
 * sees and writes only the clinic set for the transaction, whatever its queries forget.
 */
class TenantIsolationTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);
    private static final String ADMIN = "CLINIC_ADMIN";
    private static final String PRACTITIONER = "PRACTITIONER";
    private static final String RECEPTIONIST = "RECEPTIONIST";
    private static final Set<String> STAFF = Set.of(ADMIN, PRACTITIONER, RECEPTIONIST);
    private static final Set<String> CLINICAL = Set.of(ADMIN, PRACTITIONER);

    /** The tenant-owned tables and the column naming each row's clinic. */
    private static final Map<String, String> TENANT_TABLES = Map.of(
            "clinics", "id",
            "staff_users", "clinic_id",
            "auth_sessions", "clinic_id",
            "patients", "clinic_id",
            "practitioners", "clinic_id",
            "practitioner_hours", "clinic_id",
            "practitioner_exceptions", "clinic_id",
            "appointments", "clinic_id",
            "idempotency_keys", "clinic_id");

    /** The ids one clinic's data is reached by. */
    private record Target(String clinic, String patient, String practitioner, String appointment, String user,
            String session) {
        static Target random() {
            return new Target(uuid(), uuid(), uuid(), uuid(), uuid(), uuid());
        }
    }

    /** An endpoint taking an id, the roles allowed to call it at all, and how to call it for a target. */
    private record Probe(String name, Set<String> roles, BiFunction<String, Target, Api.Response> call) {
    }

    // ---------------------------------------------------------------- through the API

    @Test
    void clinicBStaffGetNotFoundForEveryClinicAResource() {
        Clinic a = newClinic();
        Target ofA = populate(a);
        Clinic b = newClinic();
        String bPatient = b.patient();
        String bPractitioner = b.practitioner();
        Map<String, String> bTokens = Map.of(ADMIN, b.adminToken, PRACTITIONER, b.user(PRACTITIONER).token(),
                RECEPTIONIST, b.user(RECEPTIONIST).token());
        Instant bookable = b.at(2, 10, 0);
        Api.Response appointmentBefore = api.get("/api/v1/appointments/" + ofA.appointment(), a.adminToken);
        int usersOfABefore = api.get("/api/v1/users", a.adminToken).body().path("items").size();

        List<Probe> probes = List.of(
                new Probe("GET patient", STAFF, (t, x) -> api.get("/api/v1/patients/" + x.patient(), t)),
                new Probe("PATCH patient", STAFF, (t, x) -> api.patch("/api/v1/patients/" + x.patient(), t,
                        Map.of("givenName", "Mallory"))),
                new Probe("GET practitioner", STAFF, (t, x) -> api.get("/api/v1/practitioners/" + x.practitioner(), t)),
                new Probe("PUT schedule", CLINICAL, (t, x) -> api.put("/api/v1/practitioners/" + x.practitioner()
                        + "/schedule", t, Map.of("slotMinutes", 60, "weeklyHours",
                        List.of(Map.of("day", "MONDAY", "start", "01:00", "end", "02:00"))))),
                new Probe("GET availability", STAFF, (t, x) -> api.get("/api/v1/practitioners/" + x.practitioner()
                        + "/availability?from=" + bookable + "&to=" + bookable.plus(Duration.ofDays(1)), t)),
                new Probe("GET appointment", STAFF, (t, x) -> api.get("/api/v1/appointments/" + x.appointment(), t)),
                new Probe("reschedule", STAFF, (t, x) -> api.post("/api/v1/appointments/" + x.appointment()
                        + "/reschedule", t, Map.of("start", bookable.toString(), "end",
                        bookable.plus(SLOT).toString()))),
                new Probe("cancel", STAFF, (t, x) -> api.post("/api/v1/appointments/" + x.appointment() + "/cancel",
                        t, Map.of("reason", "Mallory"))),
                new Probe("check-in", STAFF, (t, x) -> api.post("/api/v1/appointments/" + x.appointment()
                        + "/check-in", t, null)),
                new Probe("complete", CLINICAL, (t, x) -> api.post("/api/v1/appointments/" + x.appointment()
                        + "/complete", t, null)),
                new Probe("no-show", CLINICAL, (t, x) -> api.post("/api/v1/appointments/" + x.appointment()
                        + "/no-show", t, null)),
                new Probe("book with A's patient", STAFF, (t, x) -> api.post("/api/v1/appointments", t,
                        Map.of("patientId", x.patient(), "practitionerId", bPractitioner,
                                "start", bookable.toString(), "end", bookable.plus(SLOT).toString()))),
                new Probe("book with A's practitioner", STAFF, (t, x) -> api.post("/api/v1/appointments", t,
                        Map.of("patientId", bPatient, "practitionerId", x.practitioner(),
                                "start", bookable.toString(), "end", bookable.plus(SLOT).toString()))),
                new Probe("GET clinic", STAFF, (t, x) -> api.get("/api/v1/clinics/" + x.clinic(), t)),
                new Probe("POST clinic user", Set.of(ADMIN), (t, x) -> api.post("/api/v1/clinics/" + x.clinic()
                        + "/users", t, Map.of("email", "mallory-" + UUID.randomUUID() + "@tests.invalid",
                        "name", "Mallory", "role", ADMIN, "password", PASSWORD))),
                new Probe("PATCH user", Set.of(ADMIN), (t, x) -> api.patch("/api/v1/users/" + x.user(), t,
                        Map.of("active", false))),
                new Probe("DELETE session", STAFF, (t, x) -> api.delete("/api/v1/auth/sessions/" + x.session(), t)));

        for (Probe probe : probes) {
            bTokens.forEach((role, token) -> {
                Api.Response forA = probe.call().apply(token, ofA);
                String what = role + " of clinic B: " + probe.name() + " of clinic A -> " + forA;
                assertThat(forA.status() / 100).as(what).isNotEqualTo(2);
                if (probe.roles().contains(role)) {
                    assertProblem(forA, 404, "NOT_FOUND");
                } else {
                    // Refused for the role whatever the id: it must not matter that the id exists elsewhere.
                    Api.Response forNothing = probe.call().apply(token, Target.random());
                    assertThat(forA.status()).as(what).isEqualTo(forNothing.status());
                    assertThat(forA.text("code")).as(what).isEqualTo(forNothing.text("code"));
                }
            });
        }

        // Clinic A is untouched, and its administrator is still signed in.
        Api.Response appointmentAfter = api.get("/api/v1/appointments/" + ofA.appointment(), a.adminToken);
        assertThat(appointmentAfter.status()).as("%s", appointmentAfter).isEqualTo(200);
        assertThat(appointmentAfter.text("status")).isEqualTo("BOOKED");
        assertThat(appointmentAfter.text("start")).isEqualTo(appointmentBefore.text("start"));
        assertThat(appointmentAfter.body().path("version").asInt())
                .isEqualTo(appointmentBefore.body().path("version").asInt());
        assertThat(api.get("/api/v1/patients/" + ofA.patient(), a.adminToken).text("givenName")).isEqualTo("Zebulon");
        assertThat(api.get("/api/v1/practitioners/" + ofA.practitioner() + "/availability?from="
                + midnight(a, 3) + "&to=" + midnight(a, 4), a.adminToken).body().path("slots").size()).isEqualTo(20);
        Api.Response usersOfA = api.get("/api/v1/users", a.adminToken);
        assertThat(usersOfA.body().path("items").size()).isEqualTo(usersOfABefore);
        usersOfA.body().path("items").forEach(u -> assertThat(u.path("active").asBoolean()).isTrue());
        assertThat(api.get("/api/v1/clinics/" + a.id, a.adminToken).status()).isEqualTo(200);
    }

    @Test
    void clinicBListsNeverContainClinicAIds() {
        Clinic a = newClinic();
        Target ofA = populate(a);
        Clinic b = newClinic();
        Target ofB = populate(b);
        User receptionist = b.user(RECEPTIONIST);

        for (String token : List.of(b.adminToken, receptionist.token())) {
            assertThat(allIds("/api/v1/patients", token)).contains(ofB.patient()).doesNotContain(ofA.patient());
            assertThat(allIds("/api/v1/practitioners", token)).contains(ofB.practitioner())
                    .doesNotContain(ofA.practitioner());
            assertThat(allIds("/api/v1/appointments", token)).contains(ofB.appointment())
                    .doesNotContain(ofA.appointment());
            assertThat(allIds("/api/v1/appointments?practitionerId=" + ofA.practitioner(), token)).isEmpty();
            assertThat(allIds("/api/v1/appointments?patientId=" + ofA.patient(), token)).isEmpty();
        }
        assertThat(allIds("/api/v1/users", b.adminToken)).contains(b.adminId, receptionist.id())
                .doesNotContain(a.adminId);
        Api.Response users = api.get("/api/v1/users?limit=200", b.adminToken);
        users.body().path("items").forEach(u -> assertThat(u.path("clinicId").asString()).isEqualTo(b.id));
        Api.Response sessions = api.get("/api/v1/auth/sessions", b.adminToken);
        assertThat(sessions.status()).isEqualTo(200);
        sessions.body().path("items").forEach(s -> assertThat(s.path("id").asString()).isNotEqualTo(ofA.session()));
    }

    @Test
    void clinicBSearchingForAClinicAPatientFindsNothing() {
        Clinic a = newClinic();
        String family = "Quixote" + UUID.randomUUID().toString().substring(0, 8);
        String mrn = "MRN-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post("/api/v1/patients", a.adminToken, Map.of("givenName", "Zebulon",
                "familyName", family, "birthDate", "1961-03-14", "mrn", mrn));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String patientOfA = created.text("id");
        Clinic b = newClinic();
        Map<String, Object> query = Map.of("name", family);
        assertThat(searchIds(query, a.adminToken)).as("clinic A finds its own patient").containsExactly(patientOfA);
        assertThat(searchIds(Map.of("mrn", mrn), a.adminToken)).containsExactly(patientOfA);

        assertThat(searchIds(query, b.adminToken)).isEmpty();
        assertThat(searchIds(Map.of("name", "Zebulon " + family), b.adminToken)).isEmpty();
        assertThat(searchIds(Map.of("mrn", mrn), b.adminToken)).isEmpty();
        assertThat(searchIds(Map.of("birthDate", "1961-03-14"), b.adminToken)).doesNotContain(patientOfA);

        // The MRN is unique per clinic only: B may use it, and finds only its own patient by it.
        Api.Response sameMrn = api.post("/api/v1/patients", b.adminToken, Map.of("givenName", "Zebulon",
                "familyName", family, "birthDate", "1961-03-14", "mrn", mrn));
        assertThat(sameMrn.status()).as("%s", sameMrn).isEqualTo(201);
        assertThat(searchIds(Map.of("mrn", mrn), b.adminToken)).containsExactly(sameMrn.text("id"));
        assertThat(searchIds(query, b.adminToken)).containsExactly(sameMrn.text("id"));
        assertThat(searchIds(query, a.adminToken)).containsExactly(patientOfA);
    }

    // ---------------------------------------------------------------- in the database, as the application role

    @Test
    void theApplicationRoleSeesOnlyTheRowsOfTheClinicSetForItsTransaction() throws SQLException {
        Clinic a = newClinic();
        Target ofA = populate(a);
        Clinic b = newClinic();
        Target ofB = populate(b);
        seedSessionRows(a, b);

        try (Connection db = TestDatabase.asApplication()) {
            db.setAutoCommit(false);
            for (Clinic[] pair : List.of(new Clinic[] {b, a}, new Clinic[] {a, b})) {
                Clinic current = pair[0];
                Clinic other = pair[1];
                setClinic(db, current.id);
                TENANT_TABLES.forEach((table, column) -> {
                    List<String> owners = strings(db, "select " + column + " from " + table);
                    assertThat(owners).as("%s seen with clinic %s set", table, current.id).isNotEmpty()
                            .containsOnly(current.id).doesNotContain(other.id);
                });
                db.rollback();
            }

            setClinic(db, b.id);
            assertThat(strings(db, "select id from patients")).contains(ofB.patient()).doesNotContain(ofA.patient());
            assertThat(strings(db, "select id from practitioners")).contains(ofB.practitioner())
                    .doesNotContain(ofA.practitioner());
            assertThat(strings(db, "select id from appointments")).contains(ofB.appointment())
                    .doesNotContain(ofA.appointment());
            assertThat(strings(db, "select id from staff_users")).contains(b.adminId).doesNotContain(a.adminId);
            assertThat(strings(db, "select user_id from idempotency_keys")).contains(b.adminId)
                    .doesNotContain(a.adminId);
            assertThat(strings(db, "select practitioner_id from practitioner_hours where practitioner_id in ('"
                    + ofA.practitioner() + "', '" + ofB.practitioner() + "')")).containsOnly(ofB.practitioner());
            assertThat(strings(db, "select id from clinics where id = '" + a.id + "'")).isEmpty();
            db.rollback();
        }
    }

    @Test
    void withoutAClinicSetTheApplicationRoleSeesNoTenantRows() throws SQLException {
        Clinic a = newClinic();
        populate(a);
        Clinic b = newClinic();
        seedSessionRows(a, b);
        try (Connection superuser = TestDatabase.superuserOnTestDb()) {
            TENANT_TABLES.forEach((table, column) -> assertThat(strings(superuser,
                    "select " + column + " from " + table)).as("%s holds rows of clinic A", table).contains(a.id));
        }

        try (Connection db = TestDatabase.asApplication()) {
            db.setAutoCommit(false);
            assertNoTenantRowsVisible(db, "on a fresh connection");
            db.rollback();

            // A clinic set in one transaction must not leak into the next one on the same (pooled) connection.
            setClinic(db, a.id);
            assertThat(strings(db, "select id from patients")).isNotEmpty();
            db.commit();
            assertNoTenantRowsVisible(db, "after a committed transaction of clinic A");
            db.rollback();

            db.setAutoCommit(true);
            assertNoTenantRowsVisible(db, "in autocommit mode");
        }
    }

    @Test
    void theApplicationRoleCannotWriteRowsOfAnotherClinic() throws SQLException {
        Clinic a = newClinic();
        Target ofA = populate(a);
        Clinic b = newClinic();
        Target ofB = populate(b);
        String aClinic = "'" + a.id + "'";
        String aPatient = "'" + ofA.patient() + "'";
        String aPractitioner = "'" + ofA.practitioner() + "'";
        String aAdmin = "'" + a.adminId + "'";
        List<String> inserts = List.of(
                "insert into clinics (id, name, time_zone) values ('" + uuid() + "', 'Mallory', 'UTC')",
                "insert into staff_users (id, clinic_id, email, name, role, password_hash) values ('" + uuid() + "', "
                        + aClinic + ", 'mallory-" + uuid() + "@tests.invalid', 'Mallory', 'CLINIC_ADMIN', 'x')",
                "insert into auth_sessions (id, clinic_id, user_id, role, refresh_hash, created_at, last_seen_at, "
                        + "expires_at, idle_expires_at) values ('" + uuid() + "', " + aClinic + ", " + aAdmin
                        + ", 'CLINIC_ADMIN', '\\x00', now(), now(), now() + interval '1 hour', "
                        + "now() + interval '1 hour')",
                "insert into patients (id, clinic_id, given_name, family_name, birth_date, name_index, "
                        + "birth_date_index) values ('" + uuid() + "', " + aClinic
                        + ", 'Mallory', 'Intruder', '1990-01-01', '{}', 'x')",
                "insert into practitioners (id, clinic_id, given_name, family_name) values ('" + uuid() + "', "
                        + aClinic + ", 'Mallory', 'Intruder')",
                "insert into practitioner_hours (clinic_id, practitioner_id, day_of_week, start_time, end_time) "
                        + "values (" + aClinic + ", " + aPractitioner + ", 1, '01:00', '02:00')",
                "insert into practitioner_exceptions (clinic_id, practitioner_id, from_at, to_at, reason) values ("
                        + aClinic + ", " + aPractitioner + ", now(), now() + interval '1 day', 'Mallory')",
                "insert into appointments (id, clinic_id, patient_id, practitioner_id, start_at, end_at, status, "
                        + "booked_by) values ('" + uuid() + "', " + aClinic + ", " + aPatient + ", " + aPractitioner
                        + ", now() + interval '400 days', now() + interval '400 days 30 minutes', 'BOOKED', "
                        + aAdmin + ")",
                "insert into idempotency_keys (clinic_id, user_id, key, request_hash, response_status, "
                        + "response_body) values (" + aClinic + ", " + aAdmin + ", 'mallory', '\\x00', 201, '')",
                // Moving one of B's own rows into clinic A is refused just the same.
                "update appointments set clinic_id = " + aClinic + " where id = '" + ofB.appointment() + "'",
                "update patients set clinic_id = " + aClinic + " where id = '" + ofB.patient() + "'");

        try (Connection db = TestDatabase.asApplication()) {
            db.setAutoCommit(false);
            for (String sql : inserts) {
                setClinic(db, b.id);
                assertThatThrownBy(() -> execute(db, sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("row-level security");
                db.rollback();
            }

            setClinic(db, b.id);
            assertThat(execute(db, "update patients set given_name = 'Mallory' where id = " + aPatient)).isZero();
            assertThat(execute(db, "update appointments set status = 'CANCELLED' where clinic_id = " + aClinic))
                    .isZero();
            assertThat(execute(db, "delete from practitioner_hours where clinic_id = " + aClinic)).isZero();
            assertThat(execute(db, "delete from practitioner_exceptions where practitioner_id = " + aPractitioner))
                    .isZero();
            db.commit();
        }

        // The name is ciphertext at rest: it still decrypts to the original, so nobody overwrote it.
        assertThat(api.get("/api/v1/patients/" + ofA.patient(), a.adminToken).text("givenName")).isEqualTo("Zebulon");
        try (Connection superuser = TestDatabase.superuserOnTestDb()) {
            assertThat(strings(superuser, "select status from appointments where clinic_id = " + aClinic))
                    .containsExactly("BOOKED");
            assertThat(strings(superuser, "select day_of_week from practitioner_hours where practitioner_id = "
                    + aPractitioner)).hasSize(7);
            assertThat(strings(superuser, "select reason from practitioner_exceptions where practitioner_id = "
                    + aPractitioner)).containsExactly("Conference");
            assertThat(strings(superuser, "select id from patients where clinic_id = " + aClinic)).hasSize(1);
            assertThat(strings(superuser, "select id from staff_users where clinic_id = " + aClinic)).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- fixtures

    /**
     * Gives a clinic a row in every tenant table it can reach through the API: a patient, a
     * practitioner with weekly hours and an exception, an appointment booked under an
     * Idempotency-Key, and the administrator's session.
     */
    private Target populate(Clinic clinic) {
        String patient = clinic.patient("Zebulon", "Quixote", "1961-03-14");
        String practitioner = clinic.practitioner();
        List<Map<String, String>> everyDay = Arrays.stream(DayOfWeek.values())
                .map(d -> Map.of("day", d.name(), "start", "08:00", "end", "18:00")).toList();
        Api.Response schedule = api.put("/api/v1/practitioners/" + practitioner + "/schedule", clinic.adminToken,
                Map.of("slotMinutes", 30, "weeklyHours", everyDay, "exceptions", List.of(Map.of(
                        "from", midnight(clinic, 30).toString(), "to", midnight(clinic, 31).toString(),
                        "reason", "Conference"))));
        assertThat(schedule.status()).as("%s", schedule).isEqualTo(200);
        Instant start = clinic.at(1, 10, 0);
        Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient,
                "practitionerId", practitioner, "start", start.toString(), "end", start.plus(SLOT).toString()),
                Map.of("Idempotency-Key", "isolation-" + UUID.randomUUID()));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        Api.Response sessions = api.get("/api/v1/auth/sessions", clinic.adminToken);
        assertThat(sessions.status()).as("%s", sessions).isEqualTo(200);
        String session = sessions.body().path("items").get(0).path("id").asString();
        return new Target(clinic.id, patient, practitioner, booked.text("id"), clinic.adminId, session);
    }

    /**
     * With Redis configured (as in these tests) sessions live in Redis and auth_sessions stays empty;
     * one row per clinic, written as superuser, lets the policy of that table be checked as well.
     */
    private static void seedSessionRows(Clinic... clinics) throws SQLException {
        try (Connection superuser = TestDatabase.superuserOnTestDb()) {
            for (Clinic clinic : clinics) {
                execute(superuser, "insert into auth_sessions (id, clinic_id, user_id, role, refresh_hash, "
                        + "created_at, last_seen_at, expires_at, idle_expires_at) values ('" + uuid() + "', '"
                        + clinic.id + "', '" + clinic.adminId + "', 'CLINIC_ADMIN', '\\x00', now(), now(), "
                        + "now() + interval '1 hour', now() + interval '1 hour')");
            }
        }
    }

    private static void assertNoTenantRowsVisible(Connection db, String when) {
        TENANT_TABLES.forEach((table, column) -> assertThat(strings(db,
                "select " + column + " from " + table + " where " + column + " is not null"))
                .as("%s rows visible %s", table, when).isEmpty());
    }

    private static void setClinic(Connection db, String clinic) throws SQLException {
        try (PreparedStatement set = db.prepareStatement("select set_config('app.clinic_id', ?, true)")) {
            set.setString(1, clinic);
            set.execute();
        }
    }

    private static List<String> strings(Connection db, String sql) {
        try (PreparedStatement query = db.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static int execute(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            return statement.executeUpdate();
        }
    }

    /** Every patient id that POST /api/v1/patients/search finds with the criteria, over all pages. */
    private List<String> searchIds(Map<String, Object> criteria, String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> body = new java.util.HashMap<>(criteria);
            body.put("limit", 200);
            if (cursor != null) {
                body.put("cursor", cursor);
            }
            Api.Response page = api.post("/api/v1/patients/search", token, body);
            assertThat(page.status()).as("%s %s", criteria, page).isEqualTo(200);
            page.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
            cursor = page.text("next");
            pages++;
        } while (cursor != null && pages < 50);
        return ids;
    }

    private List<String> allIds(String path, String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String separator = path.contains("?") ? "&" : "?";
            Api.Response page = api.get(path + separator + "limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            assertThat(page.status()).as("%s %s", path, page).isEqualTo(200);
            page.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
            cursor = page.text("next");
            pages++;
        } while (cursor != null && pages < 50);
        return ids;
    }

    private static Instant midnight(Clinic clinic, int daysAhead) {
        return LocalDate.now(clinic.zone).plusDays(daysAhead).atStartOfDay(clinic.zone).toInstant();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
