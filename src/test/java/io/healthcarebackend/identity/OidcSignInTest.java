package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Sign in with Google and Microsoft end to end: the service's authorization request, the real
 * provider's redirect, the callback that redeems the code with the PKCE verifier, and tokens of
 * our own that work like a password login's.
 */
class OidcSignInTest extends OidcApiTest {

    @Test
    void aClinicUserSignsInWithGoogleAndGetsTokensThatWorkOnTheApi() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        drainRecordedRequests();
        nextIdToken("google", googleVerified(user.email()));
        Trace trace = Trace.next();

        Api.Response started = start("google", WEB_REDIRECT);
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        Map<String, String> request = query(java.net.URI.create(started.text("authorizationUrl")).getRawQuery());
        assertThat(started.text("authorizationUrl")).startsWith(PROVIDER.authorizationEndpointUrl("google").toString());
        assertThat(request).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", WEB_REDIRECT).containsEntry("scope", "openid email")
                .containsEntry("code_challenge_method", "S256").containsEntry("state", started.text("state"));
        assertThat(request.get("nonce")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(started.text("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(started.body().path("expiresIn").asLong()).isEqualTo(600);

        Redirect back = authorize(started.text("authorizationUrl"));
        assertThat(back.target()).isEqualTo(WEB_REDIRECT);
        assertThat(back.state()).isEqualTo(started.text("state"));
        Api.Response signedIn = callback("google", back.code(), back.state(), trace);

        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        assertThat(signedIn.header("Cache-Control")).contains("no-store");
        String access = signedIn.text("accessToken");
        assertThat(SignedJWT.parse(access).getJWTClaimsSet().getSubject()).isEqualTo(user.id());
        assertThat(api.get("/api/v1/auth/sessions", access).items()).hasSize(2);
        Api.Response refreshed = api.post("/api/v1/auth/refresh", null,
                Map.of("refreshToken", signedIn.text("refreshToken")));
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);

        RecordedRequest redeem = recordedTokenRequest();
        Map<String, String> form = query(redeem.getBody().readUtf8());
        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("code", back.code())
                .containsEntry("redirect_uri", WEB_REDIRECT).doesNotContainKey("client_secret");
        assertThat(s256(form.get("code_verifier"))).as("the verifier answers the challenge")
                .isEqualTo(request.get("code_challenge"));
        assertThat(redeem.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":client-secret-for-tests").getBytes(StandardCharsets.UTF_8)));

        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst()).containsEntry("action", "LOGIN").containsEntry("outcome", "SUCCESS")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", user.id())
                .containsEntry("resource_id", user.id()).containsEntry("reason", "signed in with oidc:google");
    }

    @Test
    void microsoftSignInNeedsTheDomainOwnerVerifiedClaimAndWorksForANativeAppRedirect() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        // Entra ID writes addresses as the directory has them: the match ignores case.
        nextIdToken("microsoft", Map.of("email", user.email().toUpperCase(Locale.ROOT), "xms_edov", true));
        Trace trace = Trace.next();

        Api.Response started = start("microsoft", APP_REDIRECT);
        Redirect back = authorize(started.text("authorizationUrl"));
        assertThat(back.target()).isEqualTo(APP_REDIRECT);
        Api.Response signedIn = callback("microsoft", back.code(), back.state(), trace);

        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        assertThat(SignedJWT.parse(signedIn.text("accessToken")).getJWTClaimsSet().getSubject()).isEqualTo(user.id());
        assertThat(AuditLog.eventsOf(trace).getFirst()).containsEntry("action", "LOGIN")
                .containsEntry("reason", "signed in with oidc:microsoft");
    }

    @Test
    void aUserWithASecondFactorGivesItAfterTheProviderToo() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Api.Response enrolment = api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD));
        Authenticator app = new Authenticator(enrolment.text("secret"));
        assertThat(api.post("/api/v1/auth/mfa/enrollment/confirm", user.token(), Map.of("code", app.code(step)))
                .status()).isEqualTo(200);

        nextIdToken("google", googleVerified(user.email()));
        Api.Response withoutCode = signIn("google", WEB_REDIRECT, Trace.next());
        assertThat(withoutCode.status()).as("%s", withoutCode).isEqualTo(401);
        assertThat(withoutCode.text("code")).isEqualTo("MFA_REQUIRED");

        nextIdToken("google", googleVerified(user.email()));
        Api.Response started = start("google", WEB_REDIRECT);
        Redirect back = authorize(started.text("authorizationUrl"));
        Trace trace = Trace.next();
        Api.Response withCode = api.post("/api/v1/auth/oidc/google/callback", null,
                Map.of("code", back.code(), "state", back.state(), "totp", app.code(step + 1)), trace.headers());

        assertThat(withCode.status()).as("%s", withCode).isEqualTo(200);
        assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("action", "LOGIN").containsEntry("reason", "signed in with oidc:google and TOTP"));
    }

    @Test
    void theEnabledProvidersAreListedForTheSignInPage() {
        Api.Response providers = api.get("/api/v1/auth/oidc/providers", null);

        assertThat(providers.items()).extracting(p -> p.path("id").asString())
                .containsExactly("google", "microsoft", "offline");
    }

    @Test
    void eachStartHasItsOwnStateNonceAndVerifier() {
        Map<String, String> first = query(java.net.URI.create(start("google", WEB_REDIRECT)
                .text("authorizationUrl")).getRawQuery());
        Map<String, String> second = query(java.net.URI.create(start("google", WEB_REDIRECT)
                .text("authorizationUrl")).getRawQuery());

        assertThat(first.get("state")).isNotEqualTo(second.get("state"));
        assertThat(first.get("nonce")).isNotEqualTo(second.get("nonce"));
        assertThat(first.get("code_challenge")).isNotEqualTo(second.get("code_challenge"));
    }

    private static void drainRecordedRequests() {
        while (nextRecordedRequest() != null) {
            // requests of earlier tests
        }
    }

    private static RecordedRequest recordedTokenRequest() {
        List<String> seen = new ArrayList<>();
        RecordedRequest request;
        while ((request = nextRecordedRequest()) != null) {
            seen.add(request.getPath());
            if (request.getPath().startsWith("/google/token")) {
                return request;
            }
        }
        throw new AssertionError("no token request reached the provider; saw " + seen);
    }

    /** The provider's next recorded request, or null when none came within a moment. */
    private static RecordedRequest nextRecordedRequest() {
        try {
            return PROVIDER.takeRequest(50, TimeUnit.MILLISECONDS);
        } catch (RuntimeException none) {
            return null;
        }
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
