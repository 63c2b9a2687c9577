package io.healthcarebackend.patient;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.ProblemAssertions;
import io.healthcarebackend.support.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Patient records over HTTP: create, read, partial update, blind-index search, paging, roles. */
class PatientApiTest extends ApiTest {

    @Test
    void aCreatedPatientHasALocationAndReadsBackAsWritten() {
        Clinic clinic = newClinic();
        Map<String, Object> body = fullPatient("MRN-" + UUID.randomUUID());

        Api.Response created = api.post("/api/v1/patients", clinic.adminToken, body);

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.text("id");
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.header("Location")).endsWith("/api/v1/patients/" + id);
        Api.Response read = api.get("/api/v1/patients/" + id, clinic.adminToken);
        assertThat(read.status()).isEqualTo(200);
        for (Api.Response response : List.of(created, read)) {
            assertThat(response.text("id")).isEqualTo(id);
            assertThat(response.text("givenName")).isEqualTo("Zoë");
            assertThat(response.text("familyName")).isEqualTo("Dupont");
            assertThat(response.text("birthDate")).isEqualTo("1985-03-14");
            assertThat(response.text("sex")).isEqualTo("FEMALE");
            assertThat(response.text("email")).isEqualTo("zoe.dupont@example.invalid");
            assertThat(response.text("phone")).isEqualTo("+33 1 23 45 67 89");
            assertThat(response.text("mrn")).isEqualTo(body.get("mrn"));
            assertThat(response.body().path("address").path("city").asString()).isEqualTo("Lyon");
            assertThat(response.body().path("address").path("country").asString()).isEqualTo("FR");
        }
    }

    @Test
    void onlyTheRequiredFieldsAreNeeded() {
        Clinic clinic = newClinic();

        Api.Response created = api.post("/api/v1/patients", clinic.adminToken,
                Map.of("givenName", "Ada", "familyName", "Lovelace", "birthDate", "1990-12-10"));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.text("email")).isNull();
        assertThat(created.text("mrn")).isNull();
    }

    @Test
    void aPatchChangesOnlyTheFieldsItNames() {
        Clinic clinic = newClinic();
        Api.Response created = api.post("/api/v1/patients", clinic.adminToken, fullPatient("MRN-" + UUID.randomUUID()));
        String id = created.text("id");

        Api.Response patched = api.patch("/api/v1/patients/" + id, clinic.adminToken,
                Map.of("phone", "+33 9 87 65 43 21"));

        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        Api.Response read = api.get("/api/v1/patients/" + id, clinic.adminToken);
        for (Api.Response response : List.of(patched, read)) {
            assertThat(response.text("phone")).isEqualTo("+33 9 87 65 43 21");
            assertThat(response.text("givenName")).isEqualTo("Zoë");
            assertThat(response.text("familyName")).isEqualTo("Dupont");
            assertThat(response.text("birthDate")).isEqualTo("1985-03-14");
            assertThat(response.text("sex")).isEqualTo("FEMALE");
            assertThat(response.text("email")).isEqualTo("zoe.dupont@example.invalid");
            assertThat(response.text("mrn")).isEqualTo(created.text("mrn"));
            assertThat(response.body().path("address").path("city").asString()).isEqualTo("Lyon");
            assertThat(response.body().path("version").asInt())
                    .isGreaterThan(created.body().path("version").asInt());
        }
    }

    @Test
    void anEmptyStringClearsAnOptionalField() {
        Clinic clinic = newClinic();
        String id = api.post("/api/v1/patients", clinic.adminToken, fullPatient("MRN-" + UUID.randomUUID()))
                .text("id");

        Api.Response patched = api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("email", ""));

        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        Api.Response read = api.get("/api/v1/patients/" + id, clinic.adminToken);
        assertThat(read.text("email")).as("%s", read).isNull();
        assertThat(read.text("phone")).isEqualTo("+33 1 23 45 67 89");
        assertThat(read.text("givenName")).isEqualTo("Zoë");
    }

    @Test
    void aPatchCannotBlankOutARequiredName() {
        Clinic clinic = newClinic();
        String id = clinic.patient("Grace", "Hopper", "1906-12-09");

        Api.Response patched = api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("givenName", "   "));

        assertThat(patched.status()).as("%s", patched).isEqualTo(400);
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).text("givenName")).isEqualTo("Grace");
    }

    @Test
    void aPatchedNameIsFoundByTheNewNameOnly() {
        Clinic clinic = newClinic();
        String id = clinic.patient("Grace", "Hopper", "1906-12-09");

        assertThat(api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("familyName", "Murray"))
                .status()).isEqualTo(200);

        assertThat(namesFound(clinic, "name=murray")).containsExactly("Grace Murray");
        assertThat(namesFound(clinic, "name=hopper")).isEmpty();
        assertThat(namesFound(clinic, "name=grace")).containsExactly("Grace Murray");
    }

    @Test
    void nameSearchIgnoresCaseAndAccents() {
        Clinic clinic = newClinic();
        clinic.patient("Zoë", "Dupont", "1985-03-14");
        clinic.patient("Jean-Luc", "Dupont", "1985-03-14");
        clinic.patient("Ana", "García López", "2001-11-30");
        clinic.patient("Zoe", "Martin", "1990-07-01");

        assertThat(namesFound(clinic, "name=zoe")).containsExactlyInAnyOrder("Zoë Dupont", "Zoe Martin");
        assertThat(namesFound(clinic, "name=" + encode("ZOË"))).containsExactlyInAnyOrder("Zoë Dupont", "Zoe Martin");
        assertThat(namesFound(clinic, "name=" + encode("Zoe\u0308"))).as("decomposed diaeresis")
                .containsExactlyInAnyOrder("Zoë Dupont", "Zoe Martin");
        assertThat(namesFound(clinic, "name=lopez")).containsExactly("Ana García López");
        assertThat(namesFound(clinic, "name=GARCIA")).containsExactly("Ana García López");
    }

    @Test
    void nameSearchMatchesAnyWordOfTheGivenOrFamilyName() {
        Clinic clinic = newClinic();
        clinic.patient("Zoë", "Dupont", "1985-03-14");
        clinic.patient("Jean-Luc", "Dupont", "1985-03-14");
        clinic.patient("Ana", "García López", "2001-11-30");

        assertThat(namesFound(clinic, "name=dupont")).containsExactlyInAnyOrder("Zoë Dupont", "Jean-Luc Dupont");
        assertThat(namesFound(clinic, "name=luc")).containsExactly("Jean-Luc Dupont");
        assertThat(namesFound(clinic, "name=jean")).containsExactly("Jean-Luc Dupont");
        assertThat(namesFound(clinic, "name=ana")).containsExactly("Ana García López");
    }

    @Test
    void everyWordOfANameSearchMustMatch() {
        Clinic clinic = newClinic();
        clinic.patient("Zoë", "Dupont", "1985-03-14");
        clinic.patient("Zoe", "Martin", "1990-07-01");
        clinic.patient("Jean-Luc", "Dupont", "1985-03-14");

        assertThat(namesFound(clinic, "name=" + encode("zoe dupont"))).containsExactly("Zoë Dupont");
        assertThat(namesFound(clinic, "name=" + encode("Dupont Zoé"))).as("order does not matter")
                .containsExactly("Zoë Dupont");
        assertThat(namesFound(clinic, "name=" + encode("zoe smith"))).isEmpty();
        assertThat(namesFound(clinic, "name=" + encode("martin dupont"))).isEmpty();
    }

    @Test
    void searchByBirthDateMrnAndCombinedFilters() {
        Clinic clinic = newClinic();
        String mrn = "MRN-" + UUID.randomUUID();
        clinic.patient("Zoë", "Dupont", "1985-03-14");
        clinic.patient("Jean-Luc", "Dupont", "1985-03-14");
        clinic.patient("Zoe", "Martin", "1990-07-01");
        Map<String, Object> withMrn = new HashMap<>(Map.of("givenName", "Ana", "familyName", "García",
                "birthDate", "1985-03-14", "mrn", mrn));
        assertThat(api.post("/api/v1/patients", clinic.adminToken, withMrn).status()).isEqualTo(201);

        assertThat(namesFound(clinic, "birthDate=1985-03-14"))
                .containsExactlyInAnyOrder("Zoë Dupont", "Jean-Luc Dupont", "Ana García");
        assertThat(namesFound(clinic, "birthDate=1990-07-01")).containsExactly("Zoe Martin");
        assertThat(namesFound(clinic, "mrn=" + mrn)).containsExactly("Ana García");
        assertThat(namesFound(clinic, "mrn=" + mrn + "&birthDate=1990-07-01")).isEmpty();
        assertThat(namesFound(clinic, "name=zoe&birthDate=1985-03-14")).containsExactly("Zoë Dupont");
        assertThat(namesFound(clinic, "name=dupont&birthDate=1985-03-14"))
                .containsExactlyInAnyOrder("Zoë Dupont", "Jean-Luc Dupont");
        assertThat(namesFound(clinic, "name=zoe&birthDate=2000-01-01")).isEmpty();
        assertThat(namesFound(clinic, "")).hasSize(4);
    }

    @Test
    void searchResultsArePagedWithACursor() {
        Clinic clinic = newClinic();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(clinic.patient("Page" + i, "Walker", "1970-01-0" + (i + 1)));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> body = new HashMap<>(Map.of("name", "walker", "limit", 2));
            if (cursor != null) {
                body.put("cursor", cursor);
            }
            Api.Response page = api.post("/api/v1/patients/search", clinic.adminToken, body);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().path("items").forEach(p -> seen.add(p.path("id").asString()));
            sizes.add(page.body().path("items").size());
            assertThat(page.body().has("next")).isTrue();
            cursor = page.text("next");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void anExactlyFullLastPageHasNoNextCursor() {
        Clinic clinic = newClinic();
        clinic.patient("Full", "Page", "1970-01-01");
        clinic.patient("Fuller", "Page", "1970-01-02");

        Api.Response page = api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "page", "limit", 2));

        assertThat(page.body().path("items").size()).isEqualTo(2);
        assertThat(page.body().path("next").isNull()).isTrue();
    }

    @Test
    void anMrnIsUniqueWithinAClinicOnly() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String mrn = "MRN-" + UUID.randomUUID();
        Map<String, Object> first = Map.of("givenName", "One", "familyName", "First", "birthDate", "1980-01-01",
                "mrn", mrn);
        Map<String, Object> second = Map.of("givenName", "Two", "familyName", "Second", "birthDate", "1981-01-01",
                "mrn", mrn);
        assertThat(api.post("/api/v1/patients", clinic.adminToken, first).status()).isEqualTo(201);

        Api.Response duplicate = api.post("/api/v1/patients", clinic.adminToken, second);
        Api.Response elsewhere = api.post("/api/v1/patients", other.adminToken, second);

        assertThat(duplicate.status()).as("%s", duplicate).isEqualTo(409);
        assertThat(duplicate.text("code")).isEqualTo("MRN_TAKEN");
        assertThat(duplicate.header("Content-Type")).startsWith("application/problem+json");
        assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(201);
        assertThat(namesFound(clinic, "mrn=" + mrn)).containsExactly("One First");
    }

    @Test
    void aPatchCannotTakeAnotherPatientsMrn() {
        Clinic clinic = newClinic();
        String mrn = "MRN-" + UUID.randomUUID();
        assertThat(api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "One", "familyName", "First",
                "birthDate", "1980-01-01", "mrn", mrn)).status()).isEqualTo(201);
        String other = clinic.patient("Two", "Second", "1981-01-01");

        Api.Response patched = api.patch("/api/v1/patients/" + other, clinic.adminToken, Map.of("mrn", mrn));

        assertThat(patched.status()).as("%s", patched).isEqualTo(409);
        assertThat(patched.text("code")).isEqualTo("MRN_TAKEN");
        assertThat(api.get("/api/v1/patients/" + other, clinic.adminToken).text("mrn")).isNull();
    }

    @Test
    void aBirthDateInTheFutureOrBefore1880IsRefused() {
        Clinic clinic = newClinic();
        String tomorrow = LocalDate.now().plusDays(2).toString();
        String id = clinic.patient();

        Api.Response created = api.post("/api/v1/patients", clinic.adminToken,
                Map.of("givenName", "Not", "familyName", "Born", "birthDate", tomorrow));
        Api.Response patched = api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("birthDate", tomorrow));

        assertThat(created.status()).as("%s", created).isEqualTo(400);
        assertThat(created.text("code")).isEqualTo("INVALID_BIRTH_DATE");
        assertThat(patched.status()).as("%s", patched).isEqualTo(400);
        assertThat(patched.text("code")).isEqualTo("INVALID_BIRTH_DATE");
        Api.Response ancient = api.post("/api/v1/patients", clinic.adminToken,
                Map.of("givenName", "Very", "familyName", "Old", "birthDate", "1879-12-31"));
        assertThat(ancient.status()).as("%s", ancient).isEqualTo(400);
        assertThat(ancient.text("code")).isEqualTo("INVALID_BIRTH_DATE");
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).text("birthDate")).isEqualTo("1980-01-01");
        assertThat(namesFound(clinic, "")).containsExactly("Test Patient");
    }

    @Test
    void practitionersAndReceptionistsCreateAndReadPatients() {
        Clinic clinic = newClinic();

        for (String role : List.of("PRACTITIONER", "RECEPTIONIST")) {
            String token = clinic.user(role).token();
            Api.Response created = api.post("/api/v1/patients", token,
                    Map.of("givenName", "By", "familyName", role, "birthDate", "1975-05-05"));
            assertThat(created.status()).as("%s: %s", role, created).isEqualTo(201);
            assertThat(api.get("/api/v1/patients/" + created.text("id"), token).status()).isEqualTo(200);
            assertThat(api.patch("/api/v1/patients/" + created.text("id"), token, Map.of("sex", "OTHER"))
                    .status()).isEqualTo(200);
            assertThat(api.post("/api/v1/patients/search", token, Map.of("name", role.toLowerCase())).body().path("items").size())
                    .isEqualTo(1);
        }
    }

    @Test
    void aComplianceOfficerSeesNoPatients() {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        String officer = clinic.user("COMPLIANCE_OFFICER").token();

        assertForbidden(api.post("/api/v1/patients", officer,
                Map.of("givenName", "No", "familyName", "Access", "birthDate", "1975-05-05")));
        assertForbidden(api.get("/api/v1/patients/" + id, officer));
        assertForbidden(api.post("/api/v1/patients/search", officer, Map.of("name", "test")));
        assertForbidden(api.get("/api/v1/patients", officer));
        assertForbidden(api.patch("/api/v1/patients/" + id, officer, Map.of("givenName", "Changed")));
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).text("givenName")).isEqualTo("Test");
    }

    @Test
    void searchCriteriaInTheUrlAreRefusedNotIgnored() {
        Clinic clinic = newClinic();
        clinic.patient("Urlcanary", "Hidden", "1961-07-04");

        for (String query : List.of("name=urlcanary", "birthDate=1961-07-04", "mrn=MRN-URLCANARY",
                "familyName=urlcanary", "limit=5&name=urlcanary", "q=urlcanary")) {
            Api.Response refused = api.get("/api/v1/patients?" + query, clinic.adminToken);
            ProblemAssertions.assertProblem(refused, 400, "QUERY_PARAMETER_NOT_ALLOWED");
            assertThat(refused.text("detail")).as(query).contains("POST /api/v1/patients/search");
            assertThat(refused.raw().body()).as(query).doesNotContainIgnoringCase("urlcanary").doesNotContain("1961");
        }
        assertThat(api.get("/api/v1/patients?limit=5", clinic.adminToken).items()).hasSize(1);
        assertThat(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "urlcanary",
                "birthDate", "1961-07-04")).items()).hasSize(1);
    }

    @Test
    void aPlatformAdminSeesNoPatients() {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        String platform = platformToken();

        assertForbidden(api.post("/api/v1/patients", platform,
                Map.of("givenName", "No", "familyName", "Access", "birthDate", "1975-05-05")));
        assertForbidden(api.get("/api/v1/patients/" + id, platform));
        assertForbidden(api.get("/api/v1/patients", platform));
    }

    @Test
    void anotherClinicsPatientIsNotFound() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String id = clinic.patient("Zoë", "Dupont", "1985-03-14");

        Api.Response read = api.get("/api/v1/patients/" + id, other.adminToken);
        Api.Response missing = api.get("/api/v1/patients/" + UUID.randomUUID(), other.adminToken);
        Api.Response patch = api.patch("/api/v1/patients/" + id, other.adminToken, Map.of("givenName", "Stolen"));

        assertThat(read.status()).isEqualTo(404);
        assertThat(read.text("code")).isEqualTo("NOT_FOUND");
        assertThat(read.text("detail")).isEqualTo(missing.text("detail"));
        assertThat(patch.status()).isEqualTo(404);
        assertThat(namesFound(other, "name=zoe")).isEmpty();
        assertThat(namesFound(other, "birthDate=1985-03-14")).isEmpty();
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).text("givenName")).isEqualTo("Zoë");
    }

    @Test
    void theDatabaseIndexesNamesAsKeyedTokensNotPlaintext() throws SQLException {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String mrn = "MRN-" + UUID.randomUUID();
        String id = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "Zoë", "familyName",
                "Dupont-Moreau", "birthDate", "1985-03-14", "mrn", mrn)).text("id");
        String twin = other.patient("Zoë", "Dupont-Moreau", "1985-03-14");

        Indexes mine = indexesOf(id);
        Indexes theirs = indexesOf(twin);

        assertThat(mine.nameTokens()).hasSize(3);
        for (String token : mine.nameTokens()) {
            assertThat(token.toLowerCase()).isNotIn("zoe", "zoë", "dupont", "moreau", "dupont-moreau")
                    .doesNotContain("dupont", "moreau");
        }
        assertThat(mine.birthDateToken()).isNotBlank().doesNotContain("1985");
        assertThat(mine.mrnToken()).isNotBlank().isNotEqualTo(mrn).doesNotContain(mrn.substring(4, 12));
        assertThat(theirs.nameTokens()).as("tokens depend on the clinic").doesNotContainAnyElementsOf(
                mine.nameTokens());
        assertThat(theirs.birthDateToken()).isNotEqualTo(mine.birthDateToken());
        assertThat(namesFound(clinic, "name=moreau")).containsExactly("Zoë Dupont-Moreau");
    }

    // --- helpers ---------------------------------------------------------------------------

    private static Map<String, Object> fullPatient(String mrn) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("line", "12 rue de la République");
        address.put("city", "Lyon");
        address.put("postalCode", "69002");
        address.put("country", "FR");
        Map<String, Object> body = new HashMap<>();
        body.put("givenName", "Zoë");
        body.put("familyName", "Dupont");
        body.put("birthDate", "1985-03-14");
        body.put("sex", "FEMALE");
        body.put("email", "zoe.dupont@example.invalid");
        body.put("phone", "+33 1 23 45 67 89");
        body.put("address", address);
        body.put("mrn", mrn);
        return body;
    }

    /**
     * "given family" of every patient POST /api/v1/patients/search finds (all pages); the criteria
     * are written like a query string ({@code name=zoe&birthDate=1985-03-14}) for brevity.
     */
    private List<String> namesFound(Clinic clinic, String query) {
        Map<String, Object> criteria = new HashMap<>();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            String[] parts = pair.split("=", 2);
            criteria.put(parts[0], java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> body = new HashMap<>(criteria);
            body.put("limit", 200);
            if (cursor != null) {
                body.put("cursor", cursor);
            }
            Api.Response page = api.post("/api/v1/patients/search", clinic.adminToken, body);
            assertThat(page.status()).as("%s: %s", query, page).isEqualTo(200);
            for (JsonNode p : page.body().path("items")) {
                names.add(p.path("givenName").asString() + " " + p.path("familyName").asString());
            }
            cursor = page.text("next");
        } while (cursor != null);
        return names;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertForbidden(Api.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(403);
        assertThat(response.text("code")).isEqualTo("FORBIDDEN");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private record Indexes(List<String> nameTokens, String birthDateToken, String mrnToken) {
    }

    private static Indexes indexesOf(String patientId) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement(
                        "select name_index, birth_date_index, mrn_index from patients where id = ?")) {
            s.setObject(1, UUID.fromString(patientId));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new Indexes(Arrays.asList((String[]) rs.getArray("name_index").getArray()),
                        rs.getString("birth_date_index"), rs.getString("mrn_index"));
            }
        }
    }
}
