package io.healthcarebackend.authz;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.text.ParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session check binds the access token to the session it names: user, clinic and role of the
 * token must be those of the session record. Tokens signed with the service's own key (what a
 * holder of the key, or a token-minting bug, could produce) that differ from their session in any
 * one of them are refused with 401 — a role raised, another user's session borrowed, another
 * clinic named — and the session they name keeps working for its owner. A role change by an admin
 * ends the user's sessions. Sessions in Redis here; {@link SessionBindingInPostgresTest} repeats it
 * with sessions in PostgreSQL (single node).
 */
class SessionBindingTest extends ApiTest {

    private ForgedTokens forged;

    /** Read once the service runs: it writes its development key file at start-up. */
    @org.junit.jupiter.api.BeforeEach
    void readTheServicesKey() {
        forged = ForgedTokens.load();
    }

    @Test
    void aFaithfulCopyIsAcceptedSoTheForgingItselfIsSound() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");

        assertThat(api.get("/api/v1/patients", forged.faithful(receptionist.token())).status()).isEqualTo(200);
    }

    @Test
    void aTokenWhoseRoleDiffersFromItsSessionIsRefused() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        assertThat(api.get("/api/v1/users", receptionist.token()).status()).isEqualTo(403);

        for (String role : new String[] {"CLINIC_ADMIN", "PRACTITIONER", "COMPLIANCE_OFFICER"}) {
            String raised = forged.withClaims(receptionist.token(), Map.of("role", role));
            assertProblem(api.get("/api/v1/users", raised), 401, "UNAUTHORIZED");
            assertProblem(api.get("/api/v1/patients", raised), 401, "UNAUTHORIZED");
        }
        assertThat(api.get("/api/v1/patients", receptionist.token()).status()).as("the real session is untouched")
                .isEqualTo(200);
    }

    @Test
    void aTokenNamingAnotherUsersSessionIsRefusedAndThatSessionIsUntouched() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        User other = clinic.user("RECEPTIONIST");

        // The attacker's own identity, pointed at the victim's live session.
        String borrowed = forged.withClaims(receptionist.token(), Map.of("sid", claim(other.token(), "sid")));
        // The victim's identity and session, but the attacker's user id.
        String otherUser = forged.withClaims(other.token(), Map.of("sub", receptionist.id()));

        assertProblem(api.get("/api/v1/patients", borrowed), 401, "UNAUTHORIZED");
        assertProblem(api.get("/api/v1/patients", otherUser), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/patients", other.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/patients", receptionist.token()).status()).isEqualTo(200);
    }

    @Test
    void aTokenNamingAnotherClinicIsRefused() {
        Clinic clinic = newClinic();
        Clinic elsewhere = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");

        String moved = forged.withClaims(receptionist.token(), Map.of("clinic", elsewhere.id));

        assertProblem(api.get("/api/v1/patients", moved), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/patients", receptionist.token()).status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeEndsTheSessionsSignedWithTheOldRole() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        assertThat(api.get("/api/v1/patients", user.token()).status()).isEqualTo(200);

        Api.Response changed = api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("role", "PRACTITIONER"));
        assertThat(changed.status()).as("%s", changed).isEqualTo(200);

        assertProblem(api.get("/api/v1/patients", user.token()), 401, "UNAUTHORIZED");
        String reScoped = forged.withClaims(user.token(), Map.of("role", "PRACTITIONER"));
        assertProblem(api.get("/api/v1/patients", reScoped), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/patients", login(user.email(), PASSWORD)).status())
                .as("a new sign-in carries the new role").isEqualTo(200);
    }

    @Test
    void aRefreshAfterARoleChangeThatReachedNoSessionEndsTheSessionInsteadOfIssuingEitherRole() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
        String access = login.text("accessToken");
        // The role changes in the database without the revocation that normally goes with it (as when
        // the session store was unreachable at that moment).
        try (java.sql.Connection c = io.healthcarebackend.support.TestDatabase.superuserOnTestDb();
                java.sql.PreparedStatement s = c.prepareStatement("update staff_users set role = 'PRACTITIONER' where id = ?")) {
            s.setObject(1, java.util.UUID.fromString(user.id()));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        assertProblem(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", login.text("refreshToken"))),
                401, "INVALID_REFRESH_TOKEN");
        assertProblem(api.get("/api/v1/patients", access), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/patients", login(user.email(), PASSWORD)).status())
                .as("a new sign-in carries the new role").isEqualTo(200);
    }

    private static String claim(String token, String name) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim(name);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
