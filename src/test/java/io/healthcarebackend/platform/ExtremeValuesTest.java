package io.healthcarebackend.platform;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Extreme dates and numbers in every query parameter and body field that takes one are a 400
 * problem, never a 500: dates outside the years 1 to 9999 are VALUE_OUT_OF_RANGE wherever they
 * come in (one check for query parameters, one for JSON bodies), numbers that do not fit or are
 * out of bounds are refused by type or validation. Nothing is stored.
 */
class ExtremeValuesTest extends ApiTest {

    /** Parse fine in java.time; outside the supported years (some also outside PostgreSQL's range). */
    private static final List<String> EXTREME_INSTANTS = List.of("0000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z",
            "-4714-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "+99999-01-01T00:00:00Z", "+294277-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z");
    private static final List<String> EXTREME_DATES = List.of("0000-01-01", "-0001-01-01", "+10000-01-01",
            "+99999-12-31", "+999999999-12-31", "-999999999-01-01");
    private static final List<Object> EXTREME_NUMBERS = List.of(-1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE,
            2_147_483_648L, -2_147_483_649L, new java.math.BigInteger("99999999999999999999999"), 1e308, -1e308);
    private static final List<String> EXTREME_NUMBER_TEXTS = List.of("-1", "0", "2147483647", "2147483648",
            "-2147483649", "99999999999999999999999", "1e9", "1.5", "-0");

    @Test
    void extremeDatesInQueryParametersAreRefusedAsOutOfRange() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String token = clinic.adminToken;
        List<Function<String, String>> routes = List.of(
                v -> "/api/v1/appointments?from=" + q(v),
                v -> "/api/v1/appointments?to=" + q(v),
                v -> "/api/v1/appointments?from=2026-01-01T00:00:00Z&to=" + q(v),
                v -> "/api/v1/audit-events?from=" + q(v),
                v -> "/api/v1/audit-events?to=" + q(v),
                v -> "/api/v1/practitioners/" + practitioner + "/availability?from=" + q(v)
                        + "&to=2026-01-02T00:00:00Z",
                v -> "/api/v1/practitioners/" + practitioner + "/availability?from=2026-01-01T00:00:00Z&to=" + q(v));
        for (String value : EXTREME_INSTANTS) {
            for (Function<String, String> route : routes) {
                assertProblem(api.get(route.apply(value), token), 400, "VALUE_OUT_OF_RANGE");
            }
        }
        // The edges of the range pass.
        assertThat(api.get("/api/v1/appointments?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999999Z", token)
                .status()).isEqualTo(200);
        assertThat(api.get("/api/v1/audit-events?from=0001-01-01T00:00:00Z", token).status()).isEqualTo(200);
    }

    @Test
    void extremeNumbersInQueryParametersAreABadRequest() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        List<String> routes = List.of("/api/v1/patients", "/api/v1/appointments", "/api/v1/practitioners",
                "/api/v1/users", "/api/v1/audit-events", "/api/v1/patients/" + patient + "/access-report");
        for (String route : routes) {
            for (String value : EXTREME_NUMBER_TEXTS) {
                Api.Response refused = api.get(route + "?limit=" + q(value), clinic.adminToken);
                assertProblem(refused, 400, "INVALID_PARAMETER");
            }
        }
    }

    @Test
    void aForgedCursorWithAnExtremeTimeIsAnInvalidCursor() {
        Clinic clinic = newClinic();
        for (String value : EXTREME_INSTANTS) {
            String cursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (value + "|" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            for (String route : List.of("/api/v1/appointments", "/api/v1/audit-events")) {
                assertProblem(api.get(route + "?cursor=" + cursor, clinic.adminToken), 400, "INVALID_CURSOR");
            }
        }
    }

    @Test
    void extremeDatesInBodiesAreRefusedAsOutOfRangeAndStoreNothing() {
        Clinic clinic = newClinic();
        String token = clinic.adminToken;
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        String booked = clinic.book(token, patient, practitioner, clinic.at(3, 10, 0)).text("id");
        String ok = "2030-01-01T10:00:00Z";
        List<Function<String, Api.Response>> routes = List.of(
                v -> api.post("/api/v1/appointments", token, Map.of("patientId", patient, "practitionerId",
                        practitioner, "start", v, "end", ok)),
                v -> api.post("/api/v1/appointments", token, Map.of("patientId", patient, "practitionerId",
                        practitioner, "start", ok, "end", v)),
                v -> api.post("/api/v1/appointments/" + booked + "/reschedule", token, Map.of("start", v, "end", ok)),
                v -> api.post("/api/v1/appointments/" + booked + "/reschedule", token, Map.of("start", ok, "end", v)),
                v -> api.put("/api/v1/practitioners/" + practitioner + "/schedule", token, schedule(30,
                        List.of(Map.of("from", v, "to", ok)))),
                v -> api.put("/api/v1/practitioners/" + practitioner + "/schedule", token, schedule(30,
                        List.of(Map.of("from", ok, "to", v)))),
                v -> api.post("/api/v1/audit-events/verify", token, Map.of("from", v)),
                v -> api.post("/api/v1/audit-events/verify", token, Map.of("to", v)));
        for (String value : EXTREME_INSTANTS) {
            for (Function<String, Api.Response> route : routes) {
                assertProblem(route.apply(value), 400, "VALUE_OUT_OF_RANGE");
            }
        }
        for (String value : EXTREME_DATES) {
            assertProblem(api.post("/api/v1/patients", token, Map.of("givenName", "Extreme", "familyName", "Dates",
                    "birthDate", value)), 400, "VALUE_OUT_OF_RANGE");
            assertProblem(api.patch("/api/v1/patients/" + patient, token, Map.of("birthDate", value)), 400,
                    "VALUE_OUT_OF_RANGE");
            assertProblem(api.post("/api/v1/patients/search", token, Map.of("birthDate", value)), 400,
                    "VALUE_OUT_OF_RANGE");
        }
        assertThat(api.post("/api/v1/patients/search", token, Map.of("name", "extreme")).items()).isEmpty();
        assertThat(api.get("/api/v1/patients/" + patient, token).text("birthDate")).isEqualTo("1980-01-01");
        assertThat(api.get("/api/v1/appointments?practitionerId=" + practitioner, token).items()).hasSize(1);
    }

    @Test
    void extremeNumbersInBodiesAreABadRequest() {
        Clinic clinic = newClinic();
        String token = clinic.adminToken;
        String practitioner = clinic.practitioner();
        Set<String> refusals = Set.of("VALIDATION_FAILED", "MALFORMED_REQUEST", "INVALID_PARAMETER");
        List<Function<Object, Api.Response>> routes = List.of(
                v -> api.post("/api/v1/patients/search", token, Map.of("limit", v)),
                v -> api.put("/api/v1/practitioners/" + practitioner + "/schedule", token, schedule(v, List.of())),
                v -> api.put("/api/v1/clinics/" + clinic.id + "/audit-retention", token, Map.of("months", v)),
                v -> api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", token, Map.of(
                        "confirmations", true, "reminderOffsetsMinutes", List.of(v), "channels", List.of("EMAIL"))));
        List<Api.Response> answers = new ArrayList<>();
        for (Object value : EXTREME_NUMBERS) {
            for (Function<Object, Api.Response> route : routes) {
                Api.Response answer = route.apply(value);
                answers.add(answer);
                assertThat(answer.status()).as("%s: %s", value, answer).isEqualTo(400);
                assertThat(refusals).as("%s: %s", value, answer).contains(answer.text("code"));
            }
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.header("Content-Type")).startsWith("application/problem+json"));
    }

    private static Map<String, Object> schedule(Object slotMinutes, List<Map<String, String>> exceptions) {
        Map<String, Object> body = new HashMap<>();
        body.put("slotMinutes", slotMinutes);
        body.put("weeklyHours", List.of(Map.of("day", "MONDAY", "start", "08:00", "end", "18:00")));
        body.put("exceptions", exceptions);
        return body;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
