package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A 409 about a unique value must never confirm that the value belongs to another clinic: creating
 * a user with an e-mail another clinic's user (or a platform administrator) holds answers exactly
 * like a fresh e-mail, and linking a practitioner to another clinic's user id answers exactly like
 * an id that does not exist, whatever that user's links are. Each is tried with several inputs and
 * compared with the answer to the never-seen value: status, code and the shape of the body.
 */
class CrossClinicConflictTest extends ApiTest {

    @Test
    void anotherClinicsStaffEmailAnswersExactlyLikeAFreshOneInEverySpelling() throws Exception {
        Clinic owner = newClinic();
        Clinic prober = newClinic();
        Api.Response fresh = create(prober, "fresh-" + UUID.randomUUID() + "@tests.invalid");
        assertThat(fresh.status()).as("%s", fresh).isEqualTo(201);

        // One foreign address per spelling: a second spelling of the same address would be the prober's own.
        Map<String, String> foreign = new LinkedHashMap<>();
        foreign.put("as stored", owner.user("RECEPTIONIST").email());
        foreign.put("upper case", owner.user("RECEPTIONIST").email().toUpperCase());
        foreign.put("mixed case", capitalise(owner.user("PRACTITIONER").email()));
        foreign.put("full-width letters", fullWidth(owner.user("RECEPTIONIST").email()));
        foreign.put("another clinic's administrator", userEmail(owner, owner.adminId).toUpperCase());
        foreign.put("the platform administrator", PLATFORM_EMAIL);
        User staff = owner.user("COMPLIANCE_OFFICER");
        foreign.put("another clinic's user who signed in", staff.email());
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, String> probe : foreign.entrySet()) {
            Api.Response answer = create(prober, probe.getValue());

            assertThat(answer.status()).as("%s: %s", probe.getKey(), answer).isEqualTo(fresh.status());
            assertThat(fieldsOf(answer.body())).as(probe.getKey()).isEqualTo(fieldsOf(fresh.body()));
            assertThat(answer.body().has("code")).as(probe.getKey()).isFalse();
            assertThat(answer.header("Location")).as(probe.getKey()).endsWith("/api/v1/users/" + answer.text("id"));
            assertThat(answer.text("clinicId")).isEqualTo(prober.id);
            created.add(answer.text("id"));
        }

        // The prober's clinic has those users like any other; the owner's clinic and sign-in are untouched.
        assertThat(listedIds(prober)).containsAll(created);
        assertThat(listedIds(owner)).hasSize(6).contains(owner.adminId, staff.id());
        String token = login(staff.email(), PASSWORD);
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getSubject()).as("the owner signs in to their own account")
                .isEqualTo(staff.id());
        // Within one clinic an address is still taken (the clinic's own data).
        assertProblem(create(prober, staff.email().toUpperCase()), 409, "EMAIL_TAKEN");
    }

    @Test
    void anotherClinicsUserIdAnswersLikeAnUnknownOneWhateverItsLinks() {
        Clinic owner = newClinic();
        User linked = owner.user("PRACTITIONER");
        User unlinked = owner.user("PRACTITIONER");
        assertThat(link(owner, linked.id()).status()).isEqualTo(201);
        Clinic prober = newClinic();
        Api.Response unknown = link(prober, UUID.randomUUID().toString());
        assertProblem(unknown, 422, "UNKNOWN_USER");

        for (String foreignId : List.of(linked.id(), unlinked.id(), owner.adminId)) {
            Api.Response answer = link(prober, foreignId);

            assertProblem(answer, unknown.status(), unknown.text("code"));
            assertThat(fieldsOf(answer.body())).isEqualTo(fieldsOf(unknown.body()));
            assertThat(answer.text("detail")).isEqualTo(unknown.text("detail"));
        }
        // The owner's own conflict is still told to the owner.
        assertProblem(link(owner, linked.id()), 409, "USER_ALREADY_LINKED");
        assertThat(link(owner, unlinked.id()).status()).isEqualTo(201);
    }

    private Api.Response create(Clinic clinic, String email) {
        return api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", email, "name", "Probe", "role", "RECEPTIONIST", "password", "probing-admins-own-" + UUID.randomUUID()));
    }

    private Api.Response link(Clinic clinic, String userId) {
        return api.post("/api/v1/practitioners", clinic.adminToken,
                Map.of("givenName", "Linked", "familyName", "Doctor", "userId", userId));
    }

    private List<String> listedIds(Clinic clinic) {
        List<String> ids = new ArrayList<>();
        api.get("/api/v1/users?limit=100", clinic.adminToken).body().path("items")
                .forEach(u -> ids.add(u.path("id").asString()));
        return ids;
    }

    private String userEmail(Clinic clinic, String id) {
        for (JsonNode user : api.get("/api/v1/users?limit=100", clinic.adminToken).body().path("items")) {
            if (user.path("id").asString().equals(id)) {
                return user.path("email").asString();
            }
        }
        throw new AssertionError("no user " + id);
    }

    private static Set<String> fieldsOf(JsonNode body) {
        return new TreeSet<>(body.propertyNames());
    }

    private static String capitalise(String email) {
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            mixed.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
        }
        return mixed.toString();
    }

    /** ASCII letters and digits of the local part as their full-width forms (U+FF01…). */
    private static String fullWidth(String email) {
        int at = email.indexOf('@');
        StringBuilder wide = new StringBuilder();
        for (char c : email.substring(0, at).toCharArray()) {
            wide.append(Character.isLetterOrDigit(c) ? (char) (c - 0x21 + 0xFF01) : c);
        }
        return wide + email.substring(at);
    }
}
