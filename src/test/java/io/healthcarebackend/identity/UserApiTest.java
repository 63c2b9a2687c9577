package io.healthcarebackend.identity;

import static io.healthcarebackend.identity.AuthApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Clinics and their staff accounts: who may create what, uniqueness, listing and paging. */
class UserApiTest extends ApiTest {

    @Test
    void aPlatformAdminCreatesAClinicAndItsFirstAdministrator() {
        String platform = platformToken();

        Api.Response clinic = api.post("/api/v1/clinics", platform,
                Map.of("name", "  Praxis am See  ", "timeZone", "Europe/Zurich"));

        assertThat(clinic.status()).as("%s", clinic).isEqualTo(201);
        String clinicId = clinic.text("id");
        assertThat(UUID.fromString(clinicId)).isNotNull();
        assertThat(clinic.header("Location")).endsWith("/api/v1/clinics/" + clinicId);
        assertThat(clinic.text("name")).isEqualTo("Praxis am See");
        assertThat(clinic.text("timeZone")).isEqualTo("Europe/Zurich");
        assertThat(clinic.text("createdAt")).isNotBlank();
        Api.Response read = api.get("/api/v1/clinics/" + clinicId, platform);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("name")).isEqualTo("Praxis am See");

        String email = "First.Admin-" + UUID.randomUUID() + "@Tests.invalid";
        Api.Response admin = api.post("/api/v1/clinics/" + clinicId + "/users", platform,
                Map.of("email", email, "name", "First Admin", "role", "CLINIC_ADMIN", "password", PASSWORD));

        assertThat(admin.status()).as("%s", admin).isEqualTo(201);
        assertThat(admin.text("email")).isEqualTo(email.toLowerCase());
        assertThat(admin.text("role")).isEqualTo("CLINIC_ADMIN");
        assertThat(admin.text("clinicId")).isEqualTo(clinicId);
        assertThat(admin.body().path("active").asBoolean()).isTrue();
        assertThat(admin.body().has("password")).isFalse();
        assertThat(admin.body().has("passwordHash")).isFalse();
        String adminToken = login(email, PASSWORD);
        assertThat(api.get("/api/v1/users", adminToken).status()).isEqualTo(200);
    }

    @Test
    void aClinicNeedsAKnownTimeZone() {
        String platform = platformToken();

        assertProblem(api.post("/api/v1/clinics", platform, Map.of("name", "Nowhere", "timeZone", "Mars/Olympus")),
                400, "INVALID_TIME_ZONE");
        assertProblem(api.post("/api/v1/clinics", platform, Map.of("name", "Nowhere", "timeZone", "")),
                400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/clinics", platform, Map.of("timeZone", "Europe/Berlin")),
                400, "VALIDATION_FAILED");
    }

    @Test
    void anAdministratorForAClinicThatDoesNotExistIsNotFound() {
        String platform = platformToken();

        Api.Response created = api.post("/api/v1/clinics/" + UUID.randomUUID() + "/users", platform,
                newUser("CLINIC_ADMIN"));

        assertProblem(created, 404, "NOT_FOUND");
    }

    @Test
    void onlyAPlatformAdminCreatesClinics() {
        Clinic clinic = newClinic();

        assertProblem(api.post("/api/v1/clinics", clinic.adminToken,
                Map.of("name", "Shadow clinic", "timeZone", "Europe/Berlin")), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/clinics", null, Map.of("name", "Anonymous", "timeZone", "Europe/Berlin")),
                401, "UNAUTHORIZED");
    }

    @Test
    void aPlatformAdminAddsNoUserToAClinicThatHasOneWithoutASupportGrant() {
        Clinic clinic = newClinic();
        String platform = platformToken();

        for (String role : List.of("CLINIC_ADMIN", "RECEPTIONIST", "PRACTITIONER", "COMPLIANCE_OFFICER")) {
            assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/users", platform, newUser(role)), 403,
                    "SUPPORT_GRANT_REQUIRED");
        }
        assertThat(allUsers(clinic.adminToken)).hasSize(1);
    }

    @Test
    void aClinicAdminCreatesUsersOfEveryClinicRole() {
        Clinic clinic = newClinic();

        for (String role : List.of("CLINIC_ADMIN", "PRACTITIONER", "RECEPTIONIST", "COMPLIANCE_OFFICER")) {
            Map<String, Object> body = newUser(role);
            Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, body);

            assertThat(created.status()).as("%s: %s", role, created).isEqualTo(201);
            assertThat(created.text("role")).isEqualTo(role);
            assertThat(created.text("clinicId")).isEqualTo(clinic.id);
            assertThat(created.text("email")).isEqualTo(body.get("email"));
            assertThat(created.header("Location")).endsWith("/api/v1/users/" + created.text("id"));
        }
        assertThat(emailsOf(allUsers(clinic.adminToken))).hasSize(5);
    }

    @Test
    void aClinicAdminCannotCreateAPlatformAdmin() {
        Clinic clinic = newClinic();

        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                newUser("PLATFORM_ADMIN"));

        assertProblem(created, 400, "INVALID_ROLE");
    }

    @Test
    void aClinicAdminCannotAddUsersToAnotherClinic() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();

        Api.Response created = api.post("/api/v1/clinics/" + other.id + "/users", clinic.adminToken,
                newUser("CLINIC_ADMIN"));

        assertProblem(created, 404, "NOT_FOUND");
        assertThat(allUsers(other.adminToken)).hasSize(1);
    }

    @Test
    void otherRolesCannotManageUsers() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");

        assertProblem(api.get("/api/v1/users", receptionist.token()), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/users", receptionist.token(),
                newUser("CLINIC_ADMIN")), 403, "FORBIDDEN");
        assertProblem(api.patch("/api/v1/users/" + receptionist.id(), receptionist.token(),
                Map.of("role", "CLINIC_ADMIN")), 403, "FORBIDDEN");
    }

    @Test
    void anEmailIsTakenRegardlessOfCase() {
        Clinic clinic = newClinic();
        Map<String, Object> first = newUser("RECEPTIONIST");
        assertThat(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, first).status())
                .isEqualTo(201);
        Map<String, Object> again = newUser("PRACTITIONER");
        again.put("email", ((String) first.get("email")).toUpperCase());

        Api.Response duplicate = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, again);

        assertProblem(duplicate, 409, "EMAIL_TAKEN");
        assertThat(allUsers(clinic.adminToken)).hasSize(2);
    }

    @Test
    void aPasswordNeedsAtLeastTwelveCharacters() {
        Clinic clinic = newClinic();
        Map<String, Object> tooShort = newUser("RECEPTIONIST");
        tooShort.put("password", "elevenchars");
        Map<String, Object> justLongEnough = newUser("RECEPTIONIST");
        justLongEnough.put("password", "twelve-chars");

        assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, tooShort), 400,
                "WEAK_PASSWORD");
        assertThat(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, justLongEnough).status())
                .isEqualTo(201);
        assertThat(emailsOf(allUsers(clinic.adminToken))).doesNotContain((String) tooShort.get("email"));
    }

    @Test
    void aCommonOrBreachedPasswordIsRefusedWhateverItsLength() {
        Clinic clinic = newClinic();
        for (String weak : List.of("qwerty123456", "Password2024!", "123qweasdzxc", "aaaaaaaaaaaaaa", "iloveyou!!!!!!")) {
            Map<String, Object> body = newUser("RECEPTIONIST");
            body.put("password", weak);
            assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, body), 400,
                    "WEAK_PASSWORD");
            assertThat(emailsOf(allUsers(clinic.adminToken))).as(weak).doesNotContain((String) body.get("email"));
        }
        Map<String, Object> passphrase = newUser("RECEPTIONIST");
        passphrase.put("password", "violet tram under the lighthouse");
        assertThat(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, passphrase).status())
                .isEqualTo(201);
    }

    @Test
    void aUserNeedsAValidEmailANameAndARole() {
        Clinic clinic = newClinic();
        Map<String, Object> badEmail = newUser("RECEPTIONIST");
        badEmail.put("email", "not-an-email");
        Map<String, Object> noName = newUser("RECEPTIONIST");
        noName.remove("name");
        Map<String, Object> unknownRole = newUser("RECEPTIONIST");
        unknownRole.put("role", "SUPERUSER");

        Api.Response email = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, badEmail);
        Api.Response name = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, noName);
        Api.Response role = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, unknownRole);

        assertProblem(email, 400, "VALIDATION_FAILED");
        assertThat(fieldsOf(email)).contains("email");
        assertProblem(name, 400, "VALIDATION_FAILED");
        assertThat(fieldsOf(name)).contains("name");
        assertProblem(role, 400, "MALFORMED_REQUEST");
    }

    @Test
    void theUserListShowsTheClinicsUsersOnly() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                newUser("PRACTITIONER"));

        Api.Response list = api.get("/api/v1/users", clinic.adminToken);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().has("next")).isTrue();
        assertThat(list.body().path("next").isNull()).isTrue();
        JsonNode items = list.body().path("items");
        assertThat(items.size()).isEqualTo(2);
        for (JsonNode user : items) {
            assertThat(user.propertyNames()).contains("id", "email", "name", "role", "clinicId", "active");
            assertThat(user.path("clinicId").asString()).isEqualTo(clinic.id);
            assertThat(user.has("passwordHash")).isFalse();
        }
        List<String> ids = new ArrayList<>();
        items.forEach(u -> ids.add(u.path("id").asString()));
        assertThat(ids).containsExactlyInAnyOrder(clinic.adminId, created.text("id"));
        assertThat(ids).doesNotContain(other.adminId);
    }

    @Test
    void theUserListIsPagedWithACursor() {
        Clinic clinic = newClinic();
        for (String role : List.of("PRACTITIONER", "RECEPTIONIST", "COMPLIANCE_OFFICER", "PRACTITIONER")) {
            assertThat(api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken, newUser(role))
                    .status()).isEqualTo(201);
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/api/v1/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    clinic.adminToken);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().path("items").forEach(u -> seen.add(u.path("id").asString()));
            pageSizes.add(page.body().path("items").size());
            cursor = page.text("next");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(Set.copyOf(seen)).isEqualTo(Set.copyOf(idsOf(allUsers(clinic.adminToken))));
    }

    @Test
    void aClinicAdminChangesARoleAndDeactivatesAUser() {
        Clinic clinic = newClinic();
        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                newUser("RECEPTIONIST"));
        String id = created.text("id");

        Api.Response promoted = api.patch("/api/v1/users/" + id, clinic.adminToken, Map.of("role", "PRACTITIONER"));
        Api.Response deactivated = api.patch("/api/v1/users/" + id, clinic.adminToken, Map.of("active", false));

        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.text("role")).isEqualTo("PRACTITIONER");
        assertThat(promoted.body().path("active").asBoolean()).isTrue();
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.text("role")).as("role kept by a partial update").isEqualTo("PRACTITIONER");
        assertThat(deactivated.body().path("active").asBoolean()).isFalse();
        JsonNode listed = allUsers(clinic.adminToken).stream()
                .filter(u -> u.path("id").asString().equals(id)).findFirst().orElseThrow();
        assertThat(listed.path("role").asString()).isEqualTo("PRACTITIONER");
        assertThat(listed.path("active").asBoolean()).isFalse();
    }

    @Test
    void aUserCannotBePromotedToPlatformAdmin() {
        Clinic clinic = newClinic();
        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                newUser("RECEPTIONIST"));

        assertProblem(api.patch("/api/v1/users/" + created.text("id"), clinic.adminToken,
                Map.of("role", "PLATFORM_ADMIN")), 400, "INVALID_ROLE");
    }

    @Test
    void aClinicAdminCannotChangeAnotherClinicsUser() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();

        Api.Response patch = api.patch("/api/v1/users/" + other.adminId, clinic.adminToken, Map.of("active", false));

        assertProblem(patch, 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/users", other.adminToken).status()).isEqualTo(200);
    }

    @Test
    void staffReadTheirOwnClinicButNotAnotherOne() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");

        Api.Response own = api.get("/api/v1/clinics/" + clinic.id, receptionist.token());
        Api.Response foreign = api.get("/api/v1/clinics/" + other.id, receptionist.token());
        Api.Response missing = api.get("/api/v1/clinics/" + UUID.randomUUID(), receptionist.token());

        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text("id")).isEqualTo(clinic.id);
        assertThat(own.text("timeZone")).isEqualTo("Europe/Berlin");
        assertProblem(foreign, 404, "NOT_FOUND");
        assertProblem(missing, 404, "NOT_FOUND");
        assertThat(foreign.text("detail")).isEqualTo(missing.text("detail"));
    }

    // --- helpers ---------------------------------------------------------------------------

    private static Map<String, Object> newUser(String role) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", role.toLowerCase() + "-" + UUID.randomUUID() + "@tests.invalid");
        body.put("name", "User " + role);
        body.put("role", role);
        body.put("password", PASSWORD);
        return body;
    }

    /** Every user of the caller's clinic, following the cursor. */
    private List<JsonNode> allUsers(String token) {
        List<JsonNode> users = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/users?limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().path("items").forEach(users::add);
            cursor = page.text("next");
        } while (cursor != null);
        return users;
    }

    private static List<String> emailsOf(List<JsonNode> users) {
        return users.stream().map(u -> u.path("email").asString()).toList();
    }

    private static List<String> idsOf(List<JsonNode> users) {
        return users.stream().map(u -> u.path("id").asString()).toList();
    }

    private static List<String> fieldsOf(Api.Response problem) {
        List<String> fields = new ArrayList<>();
        problem.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }
}
