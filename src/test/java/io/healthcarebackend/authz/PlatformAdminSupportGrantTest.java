package io.healthcarebackend.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.authz.AuthorizationMatrix.Row;
import io.healthcarebackend.authz.MatrixPlay.Played;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route of the authorization matrix, called by the platform administrator while it holds
 * each kind of support grant on clinic A: none, pending, denied, revoked, run out, approved for
 * another clinic, approved for another platform administrator, and approved and active. Only the
 * last opens the routes of {@link #OPENED_BY_A_GRANT} (each use on clinic A's audit trail); every
 * other route answers exactly its matrix cell in every state, and routes to patient data are
 * refused to the platform administrator whatever it holds.
 */
class PlatformAdminSupportGrantTest extends ApiTest {

    /** The routes an approved, active grant opens, with their answer then; refused (403) otherwise. */
    static final Map<String, Integer> OPENED_BY_A_GRANT = Map.of(
            "POST /api/v1/clinics/{clinicId}/users", 201,
            "PUT /api/v1/clinics/{id}/security", 200,
            "PUT /api/v1/clinics/{id}/audit-retention", 200);

    /** Routes that reach patients or their appointments, notifications and events: never for a platform administrator. */
    private static final List<String> PATIENT_DATA = List.of("/api/v1/patients", "/api/v1/appointments",
            "/api/v1/practitioners", "/api/v1/events");

    enum GrantState {
        NONE, PENDING, DENIED, REVOKED, RUN_OUT, APPROVED_FOR_ANOTHER_CLINIC, APPROVED_FOR_ANOTHER_ADMIN, APPROVED
    }

    @Test
    void everyRouteAnswersThePlatformAdministratorByTheGrantItHolds() throws Exception {
        AuthorizationMatrix matrix = AuthorizationMatrix.load();
        assertThat(matrix.problems()).isEmpty();
        assertThat(matrix.byKey().keySet()).containsAll(OPENED_BY_A_GRANT.keySet());
        MatrixWorld world = new MatrixWorld(api, newClinic(), newClinic(),
                new MatrixWorld.Account(null, PLATFORM_EMAIL, PLATFORM_PASSWORD, platformToken()));
        List<String> mismatches = new ArrayList<>(patientDataOpenToPlatformAdmins(matrix));
        MatrixPlay play = new MatrixPlay(world, new MatrixClient(port));
        List<String> deniedGrants = new ArrayList<>();
        String activeGrant = null;

        for (GrantState state : GrantState.values()) {
            String grant = prepare(world, state);
            List<Played> played = play.play(play.plan(matrix.rows(), List.of(Caller.PLATFORM_ADMIN)));
            for (Played p : played) {
                mismatches.addAll(mismatch(state, p));
            }
            if (state == GrantState.APPROVED) {
                activeGrant = grant;
            } else if (grant != null) {
                deniedGrants.add(grant);
            }
        }

        assertThat(mismatches).as("answers to the platform administrator:%n%s",
                String.join(System.lineSeparator(), mismatches)).isEmpty();
        String platformAdmin = SignedJWT.parse(platformToken()).getJWTClaimsSet().getSubject();
        List<Map<String, String>> used = AuditLog.eventsAbout(activeGrant).stream()
                .filter(e -> e.get("action").equals("SUPPORT_GRANT_USED")).toList();
        assertThat(used).hasSize(OPENED_BY_A_GRANT.size()).allSatisfy(e -> assertThat(e)
                .containsEntry("clinic_id", world.a.id).containsEntry("actor_id", platformAdmin)
                .containsEntry("actor_role", "PLATFORM_ADMIN").containsEntry("outcome", "SUCCESS"));
        assertThat(used).extracting(e -> e.get("reason")).containsExactlyInAnyOrder(
                "create user with role CLINIC_ADMIN", "set MFA required false", "set audit retention 84 months");
        for (String grant : deniedGrants) {
            assertThat(AuditLog.eventsAbout(grant)).as("grant %s", grant)
                    .noneMatch(e -> e.get("action").equals("SUPPORT_GRANT_USED"));
        }
    }

    /** The grant the state is about (null for none); ends nothing the next state could use by mistake. */
    private String prepare(MatrixWorld world, GrantState state) throws SQLException {
        String platform = platformToken();
        return switch (state) {
            case NONE -> null;
            case PENDING -> request(world.a, platform);
            case DENIED -> decided(world.a, request(world.a, platform), "deny");
            case REVOKED -> decided(world.a, decided(world.a, request(world.a, platform), "approve"), "revoke");
            case RUN_OUT -> runOut(decided(world.a, request(world.a, platform), "approve"));
            case APPROVED_FOR_ANOTHER_CLINIC -> decided(world.b, request(world.b, platform), "approve");
            case APPROVED_FOR_ANOTHER_ADMIN -> decided(world.a, request(world.a, world.supportRequester.token()),
                    "approve");
            case APPROVED -> decided(world.a, request(world.a, platform), "approve");
        };
    }

    private static List<String> mismatch(GrantState state, Played p) {
        Row row = p.plan().row();
        MatrixClient.Answer answer = p.answer();
        boolean opened = OPENED_BY_A_GRANT.containsKey(row.key());
        int expected = state == GrantState.APPROVED && opened ? OPENED_BY_A_GRANT.get(row.key())
                : row.expected(Caller.PLATFORM_ADMIN);
        String who = state + ", line " + row.line() + " " + row.key() + " (" + p.plan().describe() + "): ";
        List<String> found = new ArrayList<>();
        if (answer.status() != expected) {
            found.add(who + "expected " + expected + ", got " + answer.status() + " " + answer.excerpt());
        } else if (opened && expected == 403 && !answer.body().contains("\"SUPPORT_GRANT_REQUIRED\"")) {
            found.add(who + "refused without code SUPPORT_GRANT_REQUIRED: " + answer.excerpt());
        }
        return found;
    }

    private static List<String> patientDataOpenToPlatformAdmins(AuthorizationMatrix matrix) {
        return matrix.rows().stream()
                .filter(r -> PATIENT_DATA.stream().anyMatch(r.route()::startsWith))
                .filter(r -> r.expected(Caller.PLATFORM_ADMIN) != 403 || OPENED_BY_A_GRANT.containsKey(r.key()))
                .map(r -> "line " + r.line() + " " + r.key() + ": a platform administrator must never reach patient data")
                .toList();
    }

    private String request(ApiTest.Clinic clinic, String platformToken) {
        Api.Response requested = api.post("/api/v1/clinics/" + clinic.id + "/support-grants", platformToken,
                Map.of("reason", "Ticket " + UUID.randomUUID(), "durationMinutes", 60));
        assertThat(requested.status()).as("%s", requested).isEqualTo(201);
        assertThat(requested.text("status")).isEqualTo("PENDING");
        return requested.text("id");
    }

    private String decided(ApiTest.Clinic clinic, String grant, String decision) {
        Api.Response answer = api.post("/api/v1/clinics/" + clinic.id + "/support-grants/" + grant + "/" + decision,
                clinic.adminToken, null);
        assertThat(answer.status()).as("%s %s", decision, answer).isEqualTo(200);
        return grant;
    }

    /** An approved grant whose time is over, before the periodic job has closed it (its status is still APPROVED). */
    private static String runOut(String grant) throws SQLException {
        try (Connection db = TestDatabase.superuserOnTestDb(); PreparedStatement update = db.prepareStatement(
                "update support_grants set approved_at = now() - interval '2 hours', "
                        + "expires_at = now() - interval '1 hour' where id = cast(? as uuid) and status = 'APPROVED'")) {
            update.setString(1, grant);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        return grant;
    }
}
