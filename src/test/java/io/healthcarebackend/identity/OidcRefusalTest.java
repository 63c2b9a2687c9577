package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What OpenID Connect sign-in refuses, each with a clear 4xx problem (never a 500), no session
 * opened, and a LOGIN_FAILED event that says why without naming the e-mail address.
 */
class OidcRefusalTest extends OidcApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    StringRedisTemplate redis;

    @Test
    void anIdTokenForAnotherAudienceIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", with(googleVerified(user.email()), "aud", "some-other-client"));

        assertRefused("google", "OIDC_LOGIN_FAILED", "ID token audience is not this client", user);
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", googleVerified(user.email()), -600);

        assertRefused("google", "OIDC_LOGIN_FAILED", "ID token expired", user);
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", with(googleVerified(user.email()), "iss", "https://issuer.tests.invalid"));

        assertRefused("google", "OIDC_LOGIN_FAILED", "ID token issuer is not the provider", user);
    }

    @Test
    void anIdTokenWithAnotherSignInsNonceIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", with(googleVerified(user.email()), "nonce", "nonce-of-another-sign-in"));

        assertRefused("google", "OIDC_LOGIN_FAILED", "ID token nonce does not match this sign-in", user);
    }

    @Test
    void anUnverifiedEmailIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", Map.of("email", user.email(), "email_verified", false));

        assertRefused("google", "OIDC_EMAIL_NOT_VERIFIED", "email_verified not true", user);
    }

    @Test
    void microsoftsEmailWithoutTheDomainOwnerClaimIsRefusedEvenWhenCalledVerified() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("microsoft", Map.of("email", user.email(), "email_verified", true));

        assertRefused("microsoft", "OIDC_EMAIL_NOT_VERIFIED", "xms_edov not true", user);
    }

    @Test
    void anIdTokenWithoutEmailIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", Map.of("email_verified", true));

        assertRefused("google", "OIDC_EMAIL_NOT_VERIFIED", "ID token has no e-mail address", user);
    }

    @Test
    void aVerifiedEmailWithoutAnAccountIsRefusedAndNotRecorded() {
        String email = "nobody-" + UUID.randomUUID() + "@tests.invalid";
        nextIdToken("google", googleVerified(email));
        Trace trace = Trace.next();

        assertProblem(signIn("google", WEB_REDIRECT, trace), 401, "OIDC_NO_ACCOUNT");

        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "LOGIN_FAILED")
                .containsEntry("reason", "oidc:google: no account has the verified e-mail");
        assertThat(event.get("clinic_id")).isNull();
        assertThat(event.get("resource_id")).isNull();
        assertThat(AuditLog.everyValue()).noneMatch(v -> v.contains(email));
    }

    @Test
    void aDeactivatedUserIsRefusedAndTheAccountIsNamedInTheTrail() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false)).status())
                .isEqualTo(200);
        nextIdToken("google", googleVerified(user.email()));
        Trace trace = Trace.next();

        assertProblem(signIn("google", WEB_REDIRECT, trace), 401, "OIDC_NO_ACCOUNT");

        assertThat(single(trace)).containsEntry("action", "LOGIN_FAILED").containsEntry("clinic_id", clinic.id)
                .containsEntry("resource_id", user.id()).containsEntry("reason", "oidc:google: account inactive");
    }

    @Test
    void aPlatformAdministratorCannotSignInWithAProvider() {
        nextIdToken("google", googleVerified(PLATFORM_EMAIL));
        Trace trace = Trace.next();

        assertProblem(signIn("google", WEB_REDIRECT, trace), 401, "OIDC_NO_ACCOUNT");

        assertThat(single(trace).get("reason")).isEqualTo(
                "oidc:google: platform administrators sign in with their password");
    }

    @Test
    void aStateWorksOnceSoAReplayedCallbackIsRefused() {
        User user = newClinic().user("PRACTITIONER");
        nextIdToken("google", googleVerified(user.email()));
        Redirect back = authorize(start("google", WEB_REDIRECT).text("authorizationUrl"));
        assertThat(callback("google", back.code(), back.state(), Trace.next()).status()).isEqualTo(200);
        Trace replay = Trace.next();

        assertProblem(callback("google", back.code(), back.state(), replay), 400, "OIDC_STATE_INVALID");

        assertThat(single(replay)).containsEntry("action", "LOGIN_FAILED")
                .containsEntry("reason", "oidc:google: state unknown, already used, expired or of another provider");
    }

    @Test
    void aMadeUpStateIsRefused() {
        assertProblem(callback("google", "some-code", "made-up-state", Trace.next()), 400, "OIDC_STATE_INVALID");
    }

    @Test
    void aStateStartedWithOneProviderIsRefusedByAnotherAndIsSpentThen() {
        Redirect back = authorize(start("google", WEB_REDIRECT).text("authorizationUrl"));

        assertProblem(callback("microsoft", back.code(), back.state(), Trace.next()), 400, "OIDC_STATE_INVALID");
        assertProblem(callback("google", back.code(), back.state(), Trace.next()), 400, "OIDC_STATE_INVALID");
    }

    @Test
    void anExpiredStateIsRefused() {
        Api.Response started = start("google", WEB_REDIRECT);
        rewritePendingLogin(started.text("state"), "expiresAt", Instant.now().minusSeconds(1).toString());
        Redirect back = authorize(started.text("authorizationUrl"));

        assertProblem(callback("google", back.code(), back.state(), Trace.next()), 400, "OIDC_STATE_INVALID");
    }

    /** The provider checks the verifier against the challenge: a different verifier gets no tokens. */
    @Test
    void aCodeRedeemedWithAnotherPkceVerifierIsRefusedByTheProvider() {
        Api.Response started = start("google", WEB_REDIRECT);
        rewritePendingLogin(started.text("state"), "codeVerifier", "a".repeat(43));
        Redirect back = authorize(started.text("authorizationUrl"));
        Trace trace = Trace.next();

        assertProblem(callback("google", back.code(), back.state(), trace), 401, "OIDC_LOGIN_FAILED");

        assertThat(single(trace).get("reason")).startsWith("oidc:google: token endpoint refused the code");
    }

    @Test
    void aRedirectUriOffTheAllowListIsRefusedBeforeAnythingIsStored() {
        for (String uri : List.of("https://evil.tests.invalid/signed-in", WEB_REDIRECT + "/../elsewhere",
                WEB_REDIRECT + "?next=x", WEB_REDIRECT.toUpperCase())) {
            assertProblem(start("google", uri), 400, "OIDC_REDIRECT_URI_NOT_ALLOWED");
        }
    }

    @Test
    void anUnknownOrUnconfiguredProviderIsNotFound() {
        assertProblem(start("github", WEB_REDIRECT), 404, "NOT_FOUND");
        assertProblem(callback("github", "code", "state", Trace.next()), 404, "NOT_FOUND");
    }

    @Test
    void anUnreachableProviderIsAServiceUnavailableNotAnError() {
        assertProblem(start("offline", WEB_REDIRECT), 503, "OIDC_PROVIDER_UNAVAILABLE");
    }

    @Test
    void incompleteRequestsAreValidationErrors() {
        assertProblem(api.post("/api/v1/auth/oidc/google/start", null, Map.of()), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/auth/oidc/google/callback", null, Map.of("state", "s")), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/auth/oidc/google/callback", null,
                Map.of("code", "c", "state", "s".repeat(129))), 400, "VALIDATION_FAILED");
        assertProblem(api.postRaw("/api/v1/auth/oidc/google/callback", null, "{\"code\":"), 400, "MALFORMED_REQUEST");
    }

    /** Runs the whole flow and checks the refusal, its audit event and that no session was opened. */
    private void assertRefused(String provider, String code, String reason, User user) {
        Trace trace = Trace.next();
        int before = api.get("/api/v1/auth/sessions", user.token()).items().size();

        assertProblem(signIn(provider, WEB_REDIRECT, trace), 401, code);

        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "LOGIN_FAILED").containsEntry("outcome", "FAILURE")
                .containsEntry("trace_id", trace.id());
        assertThat(event.get("reason")).startsWith("oidc:" + provider + ": ").contains(reason);
        assertThat(event.get("actor_id")).isNull();
        assertThat(api.get("/api/v1/auth/sessions", user.token()).items()).hasSize(before);
        assertThat(AuditLog.everyValue()).noneMatch(v -> v.contains(user.email()));
    }

    private static Map<String, String> single(Trace trace) {
        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).as("events of trace %s", trace.id()).hasSize(1);
        return events.getFirst();
    }

    /** Plays an attacker (or the passing of time) on the stored sign-in, which Redis holds in tests. */
    private void rewritePendingLogin(String state, String field, String value) {
        String key;
        try {
            key = TestDatabase.REDIS_PREFIX + "oidc-login:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String stored = redis.opsForValue().get(key);
        assertThat(stored).as("pending sign-in in Redis").isNotNull();
        ObjectNode login = (ObjectNode) JSON.readTree(stored);
        login.put(field, value);
        redis.opsForValue().set(key, JSON.writeValueAsString(login), java.time.Duration.ofMinutes(5));
    }
}
