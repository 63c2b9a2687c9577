package io.healthcarebackend.identity.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The enabled OpenID Connect providers. A provider is enabled by its client id; an enabled one
 * with an incomplete or unsafe configuration stops the service at start, naming every problem,
 * rather than failing users' sign-ins later.
 */
@Component
class OidcProviders {

    /** Microsoft's multi-tenant endpoints issue tokens whose issuer varies per tenant: no fixed issuer to check. */
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");

    private final Map<String, OidcProvider> enabled = new TreeMap<>();

    OidcProviders(OidcSettings settings, OidcHttp http, Clock clock) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("OpenID Connect configuration is not usable:\n  - "
                    + String.join("\n  - ", problems));
        }
        settings.providers().forEach((id, provider) -> {
            if (provider.enabled()) {
                enabled.put(id, new OidcProvider(id, provider, settings, http, clock));
            }
        });
    }

    Optional<OidcProvider> find(String id) {
        return Optional.ofNullable(enabled.get(id));
    }

    List<String> ids() {
        return List.copyOf(enabled.keySet());
    }

    /** Every problem of every enabled provider; empty when the configuration is usable. */
    static List<String> problems(OidcSettings settings) {
        List<String> problems = new ArrayList<>();
        settings.providers().forEach((id, p) -> {
            if (!p.enabled()) {
                return;
            }
            String name = "provider '" + id + "'";
            if (!id.matches("[a-z0-9-]{1,40}")) {
                problems.add(name + ": the name must be 1-40 lower-case letters, digits or dashes");
            }
            if (p.clientSecret() == null || p.clientSecret().isBlank()) {
                problems.add(name + ": the client secret is missing");
            }
            issuerProblem(p.issuer()).ifPresent(problem -> problems.add(name + ": " + problem));
            if (!p.scopes().contains("openid") || !p.scopes().contains("email")) {
                problems.add(name + ": the scopes must include openid and email");
            }
            if (p.redirectUris().isEmpty()) {
                problems.add(name + ": no redirect URI is allowed");
            }
            p.redirectUris().stream().filter(uri -> !redirectUsable(uri))
                    .forEach(uri -> problems.add(name + ": redirect URI '" + uri + "' must be absolute, without a "
                            + "fragment, and HTTPS unless it is a loopback address or an app's own scheme"));
            if (p.emailVerifiedClaim() == null || p.emailVerifiedClaim().isBlank()) {
                problems.add(name + ": the claim that vouches for the e-mail address is not set");
            }
        });
        return problems;
    }

    private static Optional<String> issuerProblem(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer == null ? "" : issuer);
        } catch (URISyntaxException e) {
            return Optional.of("the issuer is not a URL");
        }
        if (!OidcUris.trusted(uri) || uri.getRawQuery() != null) {
            return Optional.of("the issuer must be an HTTPS URL without query (plain HTTP only on loopback)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.contains("//") || issuer.contains("{")) {
            return Optional.of("the issuer has an empty or placeholder part (for Microsoft set OIDC_MICROSOFT_TENANT_ID)");
        }
        for (String segment : path.split("/")) {
            if (MULTI_TENANT.contains(segment.toLowerCase())) {
                return Optional.of("'" + segment + "' is a multi-tenant endpoint whose tokens cannot be checked "
                        + "against one issuer; use the directory (tenant) id");
            }
        }
        return Optional.empty();
    }

    private static boolean redirectUsable(String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawFragment() != null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase();
            // Native apps use their own scheme or a loopback address (RFC 8252); web clients HTTPS.
            return !scheme.equals("http") || OidcUris.trusted(uri);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
