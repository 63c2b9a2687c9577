package io.healthcarebackend.identity.internal;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.PlatformAdmins;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A support grant's life: asked for by a platform administrator with a reason and a time box,
 * decided and revoked by the clinic's administrator only, closed by the periodic job when it runs
 * out; every step on the clinic's audit trail. And a clinic's first administrator needs no grant.
 */
class SupportGrantLifecycleTest extends ApiTest {

    @Autowired
    private SupportGrants grants;

    @Test
    void aGrantIsAskedForWithAReasonAndATimeBoxOnly() throws Exception {
        Clinic clinic = newClinic();
        String platform = platformToken();
        String path = "/api/v1/clinics/" + clinic.id + "/support-grants";

        assertProblem(api.post(path, platform, body(null, 60)), 400, "VALIDATION_FAILED");
        assertProblem(api.post(path, platform, body("short", 60)), 400, "VALIDATION_FAILED");
        assertProblem(api.post(path, platform, body("x".repeat(501), 60)), 400, "VALIDATION_FAILED");
        assertProblem(api.post(path, platform, body("Ticket 4711: SSO broken", null)), 400, "VALIDATION_FAILED");
        for (int minutes : new int[] {0, 14, 481, 100_000}) {
            assertProblem(api.post(path, platform, body("Ticket 4711: SSO broken", minutes)), 400,
                    "VALIDATION_FAILED");
        }
        assertProblem(api.post("/api/v1/clinics/" + UUID.randomUUID() + "/support-grants", platform,
                body("Ticket 4711: SSO broken", 60)), 404, "NOT_FOUND");
        assertProblem(api.post(path, clinic.adminToken, body("Ticket 4711: SSO broken", 60)), 403, "FORBIDDEN");
        assertThat(api.get(path, clinic.adminToken).body().path("items").size()).as("nothing stored").isZero();

        Api.Response requested = api.post(path, platform, body("  Ticket 4711: SSO broken  ", 90));

        assertThat(requested.status()).as("%s", requested).isEqualTo(201);
        assertThat(requested.header("Location")).endsWith(path + "/" + requested.text("id"));
        assertThat(requested.text("status")).isEqualTo("PENDING");
        assertThat(requested.text("reason")).isEqualTo("Ticket 4711: SSO broken");
        assertThat(requested.body().path("durationMinutes").asInt()).isEqualTo(90);
        assertThat(requested.body().path("active").asBoolean()).isFalse();
        assertThat(AuditLog.eventsAbout(requested.text("id"))).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("action", "SUPPORT_GRANT_REQUESTED").containsEntry("clinic_id", clinic.id)
                .containsEntry("actor_id", subject(platform)).containsEntry("reason", "90 min: Ticket 4711: SSO broken"));
    }

    @Test
    void onlyTheClinicsAdministratorDecidesAndRevokesAndEveryStepIsAudited() throws Exception {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        User compliance = clinic.user("COMPLIANCE_OFFICER");
        String platform = platformToken();
        String grant = request(clinic, platform, 60);
        String base = "/api/v1/clinics/" + clinic.id + "/support-grants/" + grant;

        assertProblem(api.post(base + "/approve", platform, null), 403, "FORBIDDEN");
        assertProblem(api.post(base + "/approve", compliance.token(), null), 403, "FORBIDDEN");
        assertProblem(api.post(base + "/approve", other.adminToken, null), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/clinics/" + other.id + "/support-grants/" + grant + "/approve",
                other.adminToken, null), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + UUID.randomUUID() + "/approve",
                clinic.adminToken, null), 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/clinics/" + clinic.id + "/support-grants", compliance.token()).status())
                .isEqualTo(200);

        Api.Response approved = api.post(base + "/approve", clinic.adminToken, null);

        assertThat(approved.status()).as("%s", approved).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("APPROVED");
        assertThat(approved.body().path("active").asBoolean()).isTrue();
        assertThat(Duration.between(Instant.parse(approved.text("approvedAt")),
                Instant.parse(approved.text("expiresAt")))).isEqualTo(Duration.ofMinutes(60));
        assertProblem(api.post(base + "/approve", clinic.adminToken, null), 409, "SUPPORT_GRANT_NOT_PENDING");
        assertProblem(api.post(base + "/deny", clinic.adminToken, null), 409, "SUPPORT_GRANT_NOT_PENDING");
        String security = "/api/v1/clinics/" + clinic.id + "/security";
        assertThat(api.put(security, platform, Map.of("mfaRequired", false)).status()).isEqualTo(200);

        Api.Response revoked = api.post(base + "/revoke", clinic.adminToken, null);

        assertThat(revoked.text("status")).isEqualTo("REVOKED");
        assertThat(revoked.body().path("active").asBoolean()).isFalse();
        assertProblem(api.post(base + "/revoke", clinic.adminToken, null), 409, "SUPPORT_GRANT_ENDED");
        assertProblem(api.put(security, platform, Map.of("mfaRequired", false)), 403, "SUPPORT_GRANT_REQUIRED");
        String denied = request(clinic, platform, 30);
        assertThat(api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + denied + "/deny",
                clinic.adminToken, null).text("status")).isEqualTo("DENIED");

        assertThat(actions(grant)).containsExactly("SUPPORT_GRANT_REQUESTED " + subject(platform),
                "SUPPORT_GRANT_APPROVED " + clinic.adminId, "SUPPORT_GRANT_USED " + subject(platform),
                "SUPPORT_GRANT_REVOKED " + clinic.adminId);
        assertThat(actions(denied)).containsExactly("SUPPORT_GRANT_REQUESTED " + subject(platform),
                "SUPPORT_GRANT_DENIED " + clinic.adminId);
    }

    @Test
    void aGrantServesOnlyThePlatformAdministratorWhoAskedAndEachSeesOnlyItsOwn() throws Exception {
        Clinic clinic = newClinic();
        String email = "support-" + UUID.randomUUID() + "@tests.invalid";
        PlatformAdmins.create(email);
        String colleague = login(email, PLATFORM_PASSWORD);
        String mine = approve(clinic, request(clinic, platformToken(), 60));
        String theirs = request(clinic, colleague, 60);
        String security = "/api/v1/clinics/" + clinic.id + "/security";

        assertProblem(api.put(security, colleague, Map.of("mfaRequired", false)), 403, "SUPPORT_GRANT_REQUIRED");
        assertThat(api.put(security, platformToken(), Map.of("mfaRequired", false)).status()).isEqualTo(200);
        assertThat(ids(colleague, clinic)).containsExactly(theirs);
        assertThat(ids(clinic.adminToken, clinic)).containsExactly(theirs, mine);
    }

    @Test
    void theJobClosesAndAuditsEveryGrantThatRanOutOnceAndItServesNoLonger() throws Exception {
        Clinic clinic = newClinic();
        String platform = platformToken();
        String approved = approve(clinic, request(clinic, platform, 15));
        String unanswered = request(clinic, platform, 60);
        String open = request(clinic, platform, 60);
        sql("update support_grants set approved_at = now() - interval '20 minutes', "
                + "expires_at = now() - interval '5 minutes' where id = cast(? as uuid)", approved);
        sql("update support_grants set requested_at = now() - interval '25 hours' where id = cast(? as uuid)",
                unanswered);
        String retention = "/api/v1/clinics/" + clinic.id + "/audit-retention";
        assertProblem(api.put(retention, platform, Map.of("months", 84)), 403, "SUPPORT_GRANT_REQUIRED");
        assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + unanswered + "/approve",
                clinic.adminToken, null), 409, "SUPPORT_GRANT_NOT_PENDING");

        grants.expireDue();
        grants.expireDue();

        Map<String, String> status = new HashMap<>();
        api.get("/api/v1/clinics/" + clinic.id + "/support-grants", clinic.adminToken).body().path("items")
                .forEach(g -> status.put(g.path("id").asString(), g.path("status").asString()));
        assertThat(status).containsEntry(approved, "EXPIRED").containsEntry(unanswered, "EXPIRED")
                .containsEntry(open, "PENDING");
        assertThat(AuditLog.eventsAbout(approved)).filteredOn(e -> e.get("action").equals("SUPPORT_GRANT_EXPIRED"))
                .singleElement().satisfies(e -> assertThat(e).containsEntry("clinic_id", clinic.id)
                        .containsEntry("reason", "approved grant ran out"));
        assertThat(AuditLog.eventsAbout(unanswered)).filteredOn(e -> e.get("action").equals("SUPPORT_GRANT_EXPIRED"))
                .singleElement().satisfies(e -> assertThat(e).containsEntry("reason", "request not answered within a day"));
        assertThat(AuditLog.eventsAbout(open)).noneMatch(e -> e.get("action").equals("SUPPORT_GRANT_EXPIRED"));
        assertProblem(api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + approved + "/revoke",
                clinic.adminToken, null), 409, "SUPPORT_GRANT_ENDED");
    }

    @Test
    void aClinicsFirstAdministratorNeedsNoGrantButOnlyOneOfTwoConcurrentOnesIsFirst() {
        String platform = platformToken();
        String clinic = api.post("/api/v1/clinics", platform,
                Map.of("name", "Clinic " + UUID.randomUUID(), "timeZone", "Europe/Berlin")).text("id");
        List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> api.post("/api/v1/clinics/" + clinic + "/users", platform,
                    Map.of("email", "first-" + UUID.randomUUID() + "@tests.invalid", "name", "First",
                            "role", "CLINIC_ADMIN", "password", PASSWORD))));
        }
        List<Api.Response> answers = calls.stream().map(CompletableFuture::join).toList();

        assertThat(answers).extracting(Api.Response::status).containsExactlyInAnyOrder(201, 403);
        answers.stream().filter(a -> a.status() == 403)
                .forEach(a -> assertProblem(a, 403, "SUPPORT_GRANT_REQUIRED"));
    }

    private String request(Clinic clinic, String token, int minutes) {
        Api.Response requested = api.post("/api/v1/clinics/" + clinic.id + "/support-grants", token,
                body("Ticket " + UUID.randomUUID(), minutes));
        assertThat(requested.status()).as("%s", requested).isEqualTo(201);
        return requested.text("id");
    }

    private String approve(Clinic clinic, String grant) {
        Api.Response approved = api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + grant + "/approve",
                clinic.adminToken, null);
        assertThat(approved.status()).as("%s", approved).isEqualTo(200);
        return grant;
    }

    private List<String> ids(String token, Clinic clinic) {
        List<String> ids = new ArrayList<>();
        api.get("/api/v1/clinics/" + clinic.id + "/support-grants", token).body().path("items")
                .forEach(g -> ids.add(g.path("id").asString()));
        return ids;
    }

    private static List<String> actions(String grant) {
        return AuditLog.eventsAbout(grant).stream().map(e -> e.get("action") + " " + e.get("actor_id")).toList();
    }

    private static Map<String, Object> body(String reason, Integer minutes) {
        Map<String, Object> body = new HashMap<>();
        body.put("reason", reason);
        body.put("durationMinutes", minutes);
        return body;
    }

    private static String subject(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
    }

    private static void sql(String statement, String id) throws SQLException {
        try (Connection db = TestDatabase.superuserOnTestDb(); PreparedStatement update = db.prepareStatement(statement)) {
            update.setString(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
