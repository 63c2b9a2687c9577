package io.healthcarebackend.identity.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One enabled OpenID Connect provider. Its endpoints and keys come from its discovery document,
 * fetched on first use (so the service starts while a provider is unreachable) and again daily;
 * when a refresh fails, the last good document stays in use.
 */
final class OidcProvider {

    private static final Logger log = LoggerFactory.getLogger(OidcProvider.class);
    private static final Duration REDISCOVER_AFTER = Duration.ofHours(24);
    /** After a failed discovery, callers are answered at once for a while instead of each waiting for it. */
    private static final Duration RETRY_DISCOVERY_AFTER = Duration.ofSeconds(10);

    private final String id;
    private final OidcSettings.Provider config;
    private final OidcSettings settings;
    private final OidcHttp http;
    private final Clock clock;
    private volatile Discovered discovered;
    private volatile Instant discoveryFailedAt;

    private record Discovered(OidcMetadata metadata, IdTokenVerifier verifier, Instant at) {
    }

    OidcProvider(String id, OidcSettings.Provider config, OidcSettings settings, OidcHttp http, Clock clock) {
        this.id = id;
        this.config = config;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    String id() {
        return id;
    }

    /** Exact match against the configured allow-list (RFC 9700 4.1.3: no patterns, no prefixes). */
    boolean allowsRedirect(String redirectUri) {
        return config.redirectUris().contains(redirectUri);
    }

    /** The provider's authorization request: code flow, PKCE S256, state and nonce. */
    String authorizationUrl(String redirectUri, String state, String nonce, String codeChallenge) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", String.join(" ", config.scopes()));
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", "S256");
        String endpoint = discovered().metadata().authorizationEndpoint().toString();
        return endpoint + (endpoint.contains("?") ? "&" : "?") + query.entrySet().stream()
                .map(e -> queryEncode(e.getKey()) + "=" + queryEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** Redeems the code with the PKCE verifier and returns the verified ID token's claims. */
    JWTClaimsSet redeem(String code, OidcPendingLogin login) {
        Discovered current = discovered();
        JsonNode tokens = http.redeem(current.metadata(), config, Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", login.redirectUri(), "code_verifier", login.codeVerifier()));
        String idToken = tokens.path("id_token").asString("");
        if (idToken.isBlank()) {
            throw new OidcRefusal(Kind.LOGIN_FAILED, "token response has no ID token");
        }
        return current.verifier().verify(idToken, login.nonce());
    }

    /** The claim this provider uses to vouch for the {@code email} claim. */
    String emailVerifiedClaim() {
        return config.emailVerifiedClaim();
    }

    private Discovered discovered() {
        Discovered current = discovered;
        if (current != null && clock.instant().isBefore(current.at().plus(REDISCOVER_AFTER))) {
            return current;
        }
        Instant failed = discoveryFailedAt;
        if (failed != null && clock.instant().isBefore(failed.plus(RETRY_DISCOVERY_AFTER))) {
            if (current != null) {
                return current;
            }
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider discovery failed moments ago");
        }
        try {
            OidcMetadata metadata = discover();
            Discovered fresh = new Discovered(metadata,
                    new IdTokenVerifier(metadata, config, settings.httpTimeout(), settings.clockSkew(), clock),
                    clock.instant());
            discovered = fresh;
            return fresh;
        } catch (OidcRefusal e) {
            discoveryFailedAt = clock.instant();
            if (current == null) {
                log.warn("OIDC discovery of provider {} failed: {}", id, e.detail());
                throw e;
            }
            log.warn("OIDC discovery of provider {} failed, keeping the previous document: {}", id, e.detail());
            return current;
        }
    }

    private OidcMetadata discover() {
        String issuer = config.issuer();
        URI document = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        JsonNode json = http.getJson(document);
        // OpenID Connect Discovery 4.3: the document must name exactly the issuer it was fetched for.
        if (!issuer.equals(json.path("issuer").asString(""))) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "discovery document names another issuer");
        }
        return new OidcMetadata(issuer, endpoint(json, "authorization_endpoint"), endpoint(json, "token_endpoint"),
                endpoint(json, "jwks_uri"), strings(json, "id_token_signing_alg_values_supported"),
                strings(json, "token_endpoint_auth_methods_supported"));
    }

    private static URI endpoint(JsonNode json, String field) {
        try {
            URI uri = new URI(json.path(field).asString(""));
            if (OidcUris.trusted(uri)) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "discovery document has no usable " + field);
    }

    private static List<String> strings(JsonNode json, String field) {
        List<String> values = new ArrayList<>();
        json.path(field).forEach(v -> values.add(v.asString("")));
        return values;
    }

    private static String queryEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
