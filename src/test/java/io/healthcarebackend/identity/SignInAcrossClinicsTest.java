package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * An administrator may give any address to an account of their clinic, and signing in with it must
 * not tell them whether another clinic (or the platform) holds the address too: sign-in goes to
 * the holder whose password matches. Compared for several foreign addresses, spellings and
 * passwords with a never-seen address: status, code, body fields, and whose account it opens.
 */
class SignInAcrossClinicsTest extends ApiTest {

    private static final String PROBER_PASSWORD = "probing-admins-own-" + UUID.randomUUID();

    @Test
    void anAccountGivenAnotherClinicsAddressSignsInExactlyLikeOneWithAFreshAddress() throws Exception {
        Clinic owner = newClinic();
        User staff = owner.user("RECEPTIONIST");
        Clinic prober = newClinic();
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("a fresh address", "fresh-" + UUID.randomUUID() + "@tests.invalid");
        addresses.put("another clinic's staff", staff.email());
        addresses.put("another clinic's staff, upper case", owner.user("PRACTITIONER").email().toUpperCase());
        addresses.put("the platform administrator", PLATFORM_EMAIL);
        Map<String, Api.Response> rightAnswers = new HashMap<>();
        Map<String, Api.Response> wrongAnswers = new HashMap<>();
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            String id = create(prober, address.getValue(), PROBER_PASSWORD).text("id");

            Api.Response right = signIn(address.getValue(), PROBER_PASSWORD, null);
            Api.Response wrong = signIn(address.getValue(), "a-wrong-password-" + UUID.randomUUID(), null);

            assertThat(right.status()).as("%s: %s", address.getKey(), right).isEqualTo(200);
            assertThat(subject(right)).as("%s: the prober's own account", address.getKey()).isEqualTo(id);
            rightAnswers.put(address.getKey(), right);
            wrongAnswers.put(address.getKey(), wrong);
        }
        Api.Response fresh = rightAnswers.get("a fresh address");
        Api.Response freshWrong = wrongAnswers.get("a fresh address");
        for (String probe : addresses.keySet()) {
            assertThat(fieldsOf(rightAnswers.get(probe).body())).as(probe).isEqualTo(fieldsOf(fresh.body()));
            assertProblem(wrongAnswers.get(probe), 401, "INVALID_CREDENTIALS");
            assertThat(fieldsOf(wrongAnswers.get(probe).body())).as(probe).isEqualTo(fieldsOf(freshWrong.body()));
            assertThat(wrongAnswers.get(probe).text("detail")).as(probe).isEqualTo(freshWrong.text("detail"));
        }
        // The holders in the other clinic and the platform sign in to their own accounts, as before.
        assertThat(subject(signIn(staff.email(), PASSWORD, null))).isEqualTo(staff.id());
        assertThat(signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD, null).status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsOnEachHoldersRecordInItsOwnClinic() {
        Clinic one = newClinic();
        User staff = one.user("RECEPTIONIST");
        Clinic two = newClinic();
        String other = create(two, staff.email(), PROBER_PASSWORD).text("id");

        assertProblem(signIn(staff.email(), "neither-of-the-two-passwords", null), 401, "INVALID_CREDENTIALS");

        assertThat(AuditLog.eventsAbout(staff.id())).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "LOGIN_FAILED").containsEntry("clinic_id", one.id));
        assertThat(AuditLog.eventsAbout(other)).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "LOGIN_FAILED").containsEntry("clinic_id", two.id));
    }

    @Test
    void onePasswordOpeningAccountsInTwoClinicsAsksWhichOne() throws Exception {
        Clinic one = newClinic();
        User person = one.user("PRACTITIONER");
        Clinic two = newClinic();
        String second = create(two, person.email(), PASSWORD).text("id");
        Clinic none = newClinic();

        Api.Response ambiguous = signIn(person.email(), PASSWORD, null);

        assertProblem(ambiguous, 409, "CLINIC_REQUIRED");
        assertThat(ambiguous.body().has("accessToken")).isFalse();
        assertThat(ambiguous.header("Cache-Control")).contains("no-store");
        List<String> offered = ambiguous.body().path("accounts").valueStream()
                .map(a -> a.path("clinicId").asString() + "|" + a.path("clinicName").asString()).toList();
        assertThat(offered).containsExactly(one.id + "|" + clinicName(one), two.id + "|" + clinicName(two));
        assertThat(subject(signIn(person.email(), PASSWORD, one.id))).isEqualTo(person.id());
        assertThat(subject(signIn(person.email(), PASSWORD, two.id.toUpperCase()))).isEqualTo(second);
        assertProblem(signIn(person.email(), PASSWORD, none.id), 401, "INVALID_CREDENTIALS");
        assertProblem(signIn(person.email(), PASSWORD, "platform"), 401, "INVALID_CREDENTIALS");
        assertProblem(signIn(person.email(), PASSWORD, "clinic-one"), 400, "VALIDATION_FAILED");
        assertThat(signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD, "platform").status()).isEqualTo(200);
    }

    @Test
    void aPasswordVerifierOfAnEarlierVersionSignsInOnceAndIsReplaced() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        setVerifier(user.id(), Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(PASSWORD));

        assertProblem(signIn(user.email(), "not-" + PASSWORD, null), 401, "INVALID_CREDENTIALS");
        assertThat(verifier(user.id())).as("a failure replaces nothing").startsWith("$argon2id$");
        assertThat(subject(signIn(user.email(), PASSWORD, null))).isEqualTo(user.id());
        assertThat(verifier(user.id())).startsWith("$hb-v2$");
        assertThat(subject(signIn(user.email(), PASSWORD, null))).isEqualTo(user.id());
    }

    private Api.Response create(Clinic clinic, String email, String password) {
        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", email, "name", "Holder", "role", "RECEPTIONIST", "password", password));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created;
    }

    private Api.Response signIn(String email, String password, String clinicId) {
        Map<String, String> body = new HashMap<>(Map.of("email", email, "password", password));
        if (clinicId != null) {
            body.put("clinicId", clinicId);
        }
        return api.post("/api/v1/auth/login", null, body);
    }

    private String clinicName(Clinic clinic) {
        return api.get("/api/v1/clinics/" + clinic.id, clinic.adminToken).text("name");
    }

    private static String subject(Api.Response answer) throws Exception {
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return SignedJWT.parse(answer.text("accessToken")).getJWTClaimsSet().getSubject();
    }

    private static TreeSet<String> fieldsOf(JsonNode body) {
        return new TreeSet<>(body.propertyNames());
    }

    private static void setVerifier(String user, String verifier) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("update staff_users set password_hash = ? where id = cast(? as uuid)")) {
            s.setString(1, verifier);
            s.setString(2, user);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static String verifier(String user) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select password_hash from staff_users where id = cast(? as uuid)")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
