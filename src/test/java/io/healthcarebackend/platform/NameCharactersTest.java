package io.healthcarebackend.platform;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Names (patients, practitioners, staff users, clinics) and the other one-line texts people read
 * refuse NUL, control and bidirectional formatting characters with 400 VALIDATION_FAILED, through
 * one constraint (platform.web.PlainText) on every such field; real names in any script pass.
 */
class NameCharactersTest extends ApiTest {

    /** NUL, other C0, DEL, C1, bidi marks, embeddings/overrides, isolates, line separator, BOM. */
    private static final List<String> REFUSED = List.of("\u0000", "\u0007", "\t", "\n", "\r", "\u001b", "\u007f",
            "\u0085", "\u009b", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
            "\u2067", "\u2068", "\u2069", "\u061c", "\u2028", "\ufeff");
    private static final List<String> ACCEPTED = List.of("Zoë", "Jean-Luc", "O'Brien", "محمد", "李小龙", "Ærøskøbing",
            "Nguyễn Văn An", "Zoe\u0308");

    private record Route(String description, Function<String, Api.Response> send, String field) {
    }

    @Test
    void everyNameFieldRefusesControlAndBidiCharacters() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String platform = platformToken();
        List<Route> routes = routes(clinic, patient, platform);

        for (String bad : REFUSED) {
            for (Route route : routes) {
                String value = "Mallory" + bad + "evil";
                Api.Response refused = route.send().apply(value);
                String what = route.description() + " with U+" + Integer.toHexString(bad.codePointAt(0));
                assertProblem(refused, 400, "VALIDATION_FAILED");
                assertThat(refused.body().path("errors").valueStream().map(e -> e.path("field").asString()))
                        .as(what).contains(route.field());
                assertThat(refused.raw().body()).as(what).doesNotContain("Mallory");
            }
        }
        // Nothing was stored: no patient, practitioner or user of that name exists.
        assertThat(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "mallory")).items())
                .isEmpty();
        assertThat(names(api.get("/api/v1/practitioners?limit=200", clinic.adminToken), "familyName"))
                .noneMatch(n -> n.contains("Mallory"));
        assertThat(names(api.get("/api/v1/users?limit=200", clinic.adminToken), "name"))
                .noneMatch(n -> n.contains("Mallory"));
        assertThat(api.get("/api/v1/patients/" + patient, clinic.adminToken).text("givenName")).isEqualTo("Test");
    }

    @Test
    void realNamesInAnyScriptPass() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String platform = platformToken();

        for (String name : ACCEPTED) {
            for (Route route : routes(clinic, patient, platform)) {
                Api.Response accepted = route.send().apply(name + " " + UUID.randomUUID().toString().substring(0, 8));
                assertThat(accepted.status()).as("%s with %s: %s", route.description(), name, accepted)
                        .isBetween(200, 201);
            }
        }
    }

    private List<Route> routes(Clinic clinic, String patient, String platform) {
        return List.of(
                new Route("create patient givenName", v -> api.post("/api/v1/patients", clinic.adminToken,
                        Map.of("givenName", v, "familyName", "Plain", "birthDate", "1980-01-01")), "givenName"),
                new Route("create patient familyName", v -> api.post("/api/v1/patients", clinic.adminToken,
                        Map.of("givenName", "Plain", "familyName", v, "birthDate", "1980-01-01")), "familyName"),
                new Route("create patient mrn", v -> api.post("/api/v1/patients", clinic.adminToken,
                        Map.of("givenName", "Plain", "familyName", "Plain", "birthDate", "1980-01-01", "mrn", v)),
                        "mrn"),
                new Route("create patient address", v -> api.post("/api/v1/patients", clinic.adminToken,
                        Map.of("givenName", "Plain", "familyName", "Plain", "birthDate", "1980-01-01",
                                "address", Map.of("line", v, "city", "Lyon"))), "address.line"),
                new Route("update patient givenName", v -> api.patch("/api/v1/patients/" + patient,
                        clinic.adminToken, Map.of("givenName", v)), "givenName"),
                new Route("update patient familyName", v -> api.patch("/api/v1/patients/" + patient,
                        clinic.adminToken, Map.of("familyName", v)), "familyName"),
                new Route("search patients name", v -> api.post("/api/v1/patients/search", clinic.adminToken,
                        Map.of("name", v)), "name"),
                new Route("create practitioner givenName", v -> api.post("/api/v1/practitioners", clinic.adminToken,
                        Map.of("givenName", v, "familyName", "Plain")), "givenName"),
                new Route("create practitioner familyName", v -> api.post("/api/v1/practitioners",
                        clinic.adminToken, Map.of("givenName", "Plain", "familyName", v)), "familyName"),
                new Route("create practitioner specialty", v -> api.post("/api/v1/practitioners",
                        clinic.adminToken, Map.of("givenName", "Plain", "familyName", "Plain", "specialty", v)),
                        "specialty"),
                new Route("create staff user name", v -> api.post("/api/v1/clinics/" + clinic.id + "/users",
                        clinic.adminToken, user(v)), "name"),
                new Route("create clinic name", v -> api.post("/api/v1/clinics", platform,
                        Map.of("name", v, "timeZone", "Europe/Berlin")), "name"));
    }

    private static Map<String, Object> user(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", "named-" + UUID.randomUUID() + "@tests.invalid");
        body.put("name", name);
        body.put("role", "RECEPTIONIST");
        body.put("password", PASSWORD);
        return body;
    }

    private static List<String> names(Api.Response page, String field) {
        return page.items().stream().map((JsonNode n) -> n.path(field).asString()).toList();
    }
}
