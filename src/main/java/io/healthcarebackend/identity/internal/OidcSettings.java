package io.healthcarebackend.identity.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * OpenID Connect sign-in: the providers (Google and Microsoft presets in application.yml, each
 * disabled until it has a client id) and the limits every provider shares.
 *
 * @param httpTimeout bound on each call to a provider (discovery, token endpoint, keys)
 * @param stateTtl how long a started sign-in may take to come back
 * @param clockSkew tolerance for the ID token's {@code exp}, {@code iat} and {@code nbf}
 */
@ConfigurationProperties("app.oidc")
record OidcSettings(Duration httpTimeout, Duration stateTtl, Duration clockSkew, Map<String, Provider> providers) {

    OidcSettings {
        httpTimeout = httpTimeout == null ? Duration.ofSeconds(5) : httpTimeout;
        stateTtl = stateTtl == null ? Duration.ofMinutes(10) : stateTtl;
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        providers = providers == null ? Map.of() : Map.copyOf(providers);
    }

    /**
     * One provider as configured.
     *
     * @param issuer the issuer identifier; its discovery document must name exactly this issuer
     * @param acceptedIssuers further {@code iss} values the provider's ID tokens may carry (Google
     *     writes {@code accounts.google.com} as well as its URL)
     * @param emailVerifiedClaim the boolean claim that must be true for the {@code email} claim to be
     *     trusted ({@code email_verified} at Google, {@code xms_edov} at Microsoft Entra ID)
     */
    record Provider(String issuer, List<String> acceptedIssuers, String clientId, String clientSecret,
            List<String> scopes, List<String> redirectUris, String emailVerifiedClaim) {

        Provider {
            acceptedIssuers = clean(acceptedIssuers);
            scopes = clean(scopes);
            redirectUris = clean(redirectUris);
        }

        boolean enabled() {
            return clientId != null && !clientId.isBlank();
        }

        private static List<String> clean(List<String> values) {
            return values == null ? List.of()
                    : values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
    }
}
