package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base for tests that drive the running service over HTTP, against the run's real PostgreSQL
 * database and Redis. Every test builds its own clinic, so tests share no mutable fixtures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    public static final String PASSWORD = "correct-horse-battery-staple";
    public static final String PLATFORM_EMAIL = "platform-admin@tests.invalid";
    public static final String PLATFORM_PASSWORD = "platform-admin-password-for-tests";

    @LocalServerPort
    protected int port;

    protected Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    protected String login(String email, String password) {
        Api.Response response = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
        assertThat(response.status()).as("login of %s: %s", email, response).isEqualTo(200);
        return response.text("accessToken");
    }

    protected String platformToken() {
        return login(PLATFORM_EMAIL, PLATFORM_PASSWORD);
    }

    /** A new clinic with a logged-in clinic administrator. */
    protected Clinic newClinic(String timeZone) {
        String platform = platformToken();
        Api.Response clinic = api.post("/api/v1/clinics", platform,
                Map.of("name", "Clinic " + UUID.randomUUID(), "timeZone", timeZone));
        assertThat(clinic.status()).as("%s", clinic).isEqualTo(201);
        String clinicId = clinic.text("id");
        String email = "admin-" + UUID.randomUUID() + "@tests.invalid";
        Api.Response admin = api.post("/api/v1/clinics/" + clinicId + "/users", platform,
                Map.of("email", email, "name", "Admin", "role", "CLINIC_ADMIN", "password", PASSWORD));
        assertThat(admin.status()).as("%s", admin).isEqualTo(201);
        return new Clinic(clinicId, ZoneId.of(timeZone), login(email, PASSWORD), admin.text("id"));
    }

    protected Clinic newClinic() {
        return newClinic("Europe/Berlin");
    }

    /** A clinic and its administrator's token. */
    public final class Clinic {
        public final String id;
        public final ZoneId zone;
        public final String adminToken;
        public final String adminId;

        Clinic(String id, ZoneId zone, String adminToken, String adminId) {
            this.id = id;
            this.zone = zone;
            this.adminToken = adminToken;
            this.adminId = adminId;
        }

        /** Creates a user with the role and returns a token for it. */
        public User user(String role) {
            String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@tests.invalid";
            Api.Response created = api.post("/api/v1/clinics/" + id + "/users", adminToken,
                    Map.of("email", email, "name", "User " + role, "role", role, "password", PASSWORD));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            return new User(created.text("id"), email, login(email, PASSWORD));
        }

        /**
         * A support grant for the platform administrator on this clinic, asked for and approved by
         * the clinic's administrator: the platform administrator may then change its administration.
         */
        public String grantSupport() {
            Api.Response requested = api.post("/api/v1/clinics/" + id + "/support-grants", platformToken(),
                    Map.of("reason", "Support ticket for a test", "durationMinutes", 60));
            assertThat(requested.status()).as("%s", requested).isEqualTo(201);
            String grant = requested.text("id");
            Api.Response approved = api.post("/api/v1/clinics/" + id + "/support-grants/" + grant + "/approve",
                    adminToken, null);
            assertThat(approved.status()).as("%s", approved).isEqualTo(200);
            return grant;
        }

        public String patient(String given, String family, String birthDate) {
            Api.Response created = api.post("/api/v1/patients", adminToken,
                    Map.of("givenName", given, "familyName", family, "birthDate", birthDate));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            return created.text("id");
        }

        public String patient() {
            return patient("Test", "Patient", "1980-01-01");
        }

        /** A practitioner working every day 08:00–18:00 in the clinic's zone, 30-minute slots. */
        public String practitioner() {
            Api.Response created = api.post("/api/v1/practitioners", adminToken,
                    Map.of("givenName", "Doc", "familyName", "Tor"));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            String practitionerId = created.text("id");
            List<Map<String, String>> hours = java.util.Arrays.stream(DayOfWeek.values())
                    .map(d -> Map.of("day", d.name(), "start", "08:00", "end", "18:00")).toList();
            Api.Response schedule = api.put("/api/v1/practitioners/" + practitionerId + "/schedule", adminToken,
                    Map.of("slotMinutes", 30, "weeklyHours", hours));
            assertThat(schedule.status()).as("%s", schedule).isEqualTo(200);
            return practitionerId;
        }

        /** 10:00 local time on a day {@code daysAhead} days from now (a working time of {@link #practitioner()}). */
        public Instant at(int daysAhead, int hour, int minute) {
            return LocalDate.now(zone).plusDays(daysAhead).atTime(hour, minute).atZone(zone).toInstant();
        }

        public Instant nextMonday(int hour) {
            return LocalDate.now(zone).with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atTime(hour, 0).atZone(zone)
                    .toInstant();
        }

        public Api.Response book(String token, String patientId, String practitionerId, Instant start) {
            return api.post("/api/v1/appointments", token, Map.of("patientId", patientId,
                    "practitionerId", practitionerId, "start", start.toString(),
                    "end", start.plus(Duration.ofMinutes(30)).toString()));
        }
    }

    public record User(String id, String email, String token) {
    }
}
