package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which provider configurations the service accepts at start, and what a provider without a client id is. */
class OidcProvidersTest {

    private static final List<String> SCOPES = List.of("openid", "email");
    private static final List<String> REDIRECTS = List.of("https://app.tests.invalid/signed-in");

    @Test
    void aProviderWithoutClientIdIsDisabledAndNeedsNothingElse() {
        OidcSettings settings = settings(Map.of("microsoft", new OidcSettings.Provider(
                "https://login.microsoftonline.com//v2.0", List.of(), "", "", SCOPES, List.of(), "xms_edov")));

        OidcProviders providers = new OidcProviders(settings, new OidcHttp(settings), Clock.systemUTC());

        assertThat(providers.ids()).isEmpty();
        assertThat(providers.find("microsoft")).isEmpty();
    }

    @Test
    void aCompleteProviderIsEnabled() {
        OidcSettings settings = settings(Map.of("google", provider("https://accounts.google.com", REDIRECTS)));

        OidcProviders providers = new OidcProviders(settings, new OidcHttp(settings), Clock.systemUTC());

        assertThat(providers.ids()).containsExactly("google");
        assertThat(providers.find("google")).isPresent();
    }

    @Test
    void theMicrosoftPresetWithoutTenantOrWithAMultiTenantEndpointIsRefused() {
        assertThat(OidcProviders.problems(settings(Map.of(
                "microsoft", provider("https://login.microsoftonline.com//v2.0", REDIRECTS)))))
                .singleElement().asString().contains("OIDC_MICROSOFT_TENANT_ID");
        for (String tenant : List.of("common", "organizations", "consumers")) {
            assertThat(OidcProviders.problems(settings(Map.of(
                    "microsoft", provider("https://login.microsoftonline.com/" + tenant + "/v2.0", REDIRECTS)))))
                    .singleElement().asString().contains("multi-tenant");
        }
    }

    @Test
    void plainHttpIsAcceptedOnlyOnLoopback() {
        assertThat(OidcProviders.problems(settings(Map.of("p", provider("http://idp.tests.invalid", REDIRECTS)))))
                .singleElement().asString().contains("HTTPS");
        assertThat(OidcProviders.problems(settings(Map.of("p", provider("http://127.0.0.1:8080/idp", List.of(
                "http://127.0.0.1:3000/cb", "http://app.tests.invalid/cb", "https://app.tests.invalid/cb#x",
                "io.healthcarebackend.app:/oauth2redirect", "mailto:someone", "/relative"))))))
                .hasSize(4).allMatch(p -> p.contains("redirect URI"))
                .anyMatch(p -> p.contains("'http://app.tests.invalid/cb'"))
                .anyMatch(p -> p.contains("'https://app.tests.invalid/cb#x'"))
                .anyMatch(p -> p.contains("'mailto:someone'"))
                .anyMatch(p -> p.contains("'/relative'"));
    }

    @Test
    void everyProblemOfAnEnabledProviderIsNamedAtOnceAndStopsTheStart() {
        OidcSettings settings = settings(Map.of("Bad Name", new OidcSettings.Provider("https://idp.tests.invalid",
                List.of(), "client", " ", List.of("profile"), List.of(), "")));

        assertThatThrownBy(() -> new OidcProviders(settings, new OidcHttp(settings), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("lower-case", "client secret", "openid and email",
                        "no redirect URI", "vouches for the e-mail");
    }

    private static OidcSettings.Provider provider(String issuer, List<String> redirects) {
        return new OidcSettings.Provider(issuer, List.of(), "client", "secret", SCOPES, redirects, "email_verified");
    }

    private static OidcSettings settings(Map<String, OidcSettings.Provider> providers) {
        return new OidcSettings(null, null, null, providers);
    }
}
