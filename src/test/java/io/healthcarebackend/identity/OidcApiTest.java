package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog.Trace;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in tests against a real OpenID Connect provider running in the test JVM
 * (mock-oauth2-server): discovery, authorization endpoint, token endpoint with PKCE checks, JWKS.
 * Two of its issuers play Google and Microsoft with the service's presets (which claim vouches
 * for the e-mail address); a third provider points at a closed port.
 */
abstract class OidcApiTest extends ApiTest {

    static final MockOAuth2Server PROVIDER = started();
    static final String CLIENT_ID = "healthcare-web";
    static final String WEB_REDIRECT = "https://app.tests.invalid/signed-in";
    static final String APP_REDIRECT = "io.healthcarebackend.app:/oauth2redirect";
    private static final HttpClient BROWSER = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static MockOAuth2Server started() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        return server;
    }

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        for (String provider : new String[] {"google", "microsoft"}) {
            String prefix = "app.oidc.providers." + provider + ".";
            registry.add(prefix + "issuer", () -> PROVIDER.issuerUrl(provider).toString());
            registry.add(prefix + "client-id", () -> CLIENT_ID);
            registry.add(prefix + "client-secret", () -> "client-secret-for-tests");
            registry.add(prefix + "redirect-uris", () -> WEB_REDIRECT + "," + APP_REDIRECT);
        }
        registry.add("app.oidc.providers.offline.issuer", () -> "http://127.0.0.1:1/offline");
        registry.add("app.oidc.providers.offline.client-id", () -> CLIENT_ID);
        registry.add("app.oidc.providers.offline.client-secret", () -> "client-secret-for-tests");
        registry.add("app.oidc.providers.offline.scopes", () -> "openid,email");
        registry.add("app.oidc.providers.offline.redirect-uris", () -> WEB_REDIRECT);
        registry.add("app.oidc.providers.offline.email-verified-claim", () -> "email_verified");
    }

    /** Where the provider sent the browser back to: the redirect URI with code and state. */
    record Redirect(String target, String code, String state) {
    }

    /** The provider's next ID token (for the issuer of {@code provider}) carries these claims. */
    static void nextIdToken(String provider, Map<String, Object> claims) {
        nextIdToken(provider, claims, 3600);
    }

    static void nextIdToken(String provider, Map<String, Object> claims, long lifetimeSeconds) {
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(provider, "subject-" + UUID.randomUUID(), "JWT",
                null, claims, lifetimeSeconds));
    }

    static Map<String, Object> googleVerified(String email) {
        return Map.of("email", email, "email_verified", true);
    }

    static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new HashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    Api.Response start(String provider, String redirectUri) {
        return api.post("/api/v1/auth/oidc/" + provider + "/start", null, Map.of("redirectUri", redirectUri));
    }

    Api.Response callback(String provider, String code, String state, Trace trace) {
        return api.post("/api/v1/auth/oidc/" + provider + "/callback", null, Map.of("code", code, "state", state),
                trace.headers());
    }

    /** Follows the authorization URL as a browser would; the provider signs the user in and redirects. */
    static Redirect authorize(String authorizationUrl) {
        try {
            HttpResponse<String> response = BROWSER.send(HttpRequest.newBuilder(URI.create(authorizationUrl))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("authorization endpoint: %s", response.body()).isEqualTo(302);
            String location = response.headers().firstValue("Location").orElseThrow();
            Map<String, String> query = query(URI.create(location).getRawQuery());
            return new Redirect(location.substring(0, location.indexOf('?')), query.get("code"), query.get("state"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole flow: start, the provider's redirect, the callback. */
    Api.Response signIn(String provider, String redirectUri, Trace trace) {
        Api.Response started = start(provider, redirectUri);
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        Redirect back = authorize(started.text("authorizationUrl"));
        return callback(provider, back.code(), back.state(), trace);
    }

    static Map<String, String> query(String raw) {
        return Arrays.stream(raw.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }
}
