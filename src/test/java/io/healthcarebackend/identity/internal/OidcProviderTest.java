package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery against a real provider: what is trusted from the document, and how failures are handled. */
class OidcProviderTest {

    private static final String REDIRECT = "https://app.tests.invalid/signed-in";

    private MockOAuth2Server server;

    @BeforeEach
    void startProvider() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterEach
    void stopProvider() {
        server.shutdown();
    }

    @Test
    void theAuthorizationRequestGoesToTheDiscoveredEndpointWithEveryParameterEncoded() {
        OidcProvider provider = provider(server.issuerUrl("google").toString());

        String url = provider.authorizationUrl(REDIRECT, "st+ate", "no nce", "challenge");

        assertThat(url).startsWith(server.authorizationEndpointUrl("google") + "?response_type=code&client_id=client")
                .contains("&redirect_uri=https%3A%2F%2Fapp.tests.invalid%2Fsigned-in", "&scope=openid%20email",
                        "&state=st%2Bate", "&nonce=no%20nce", "&code_challenge=challenge",
                        "&code_challenge_method=S256");
    }

    @Test
    void aDiscoveryDocumentForAnotherIssuerIsNotTrusted() {
        // The provider's document names ".../google"; configured with a trailing slash, the names differ.
        OidcProvider provider = provider(server.issuerUrl("google") + "/");

        assertThatThrownBy(() -> provider.authorizationUrl(REDIRECT, "s", "n", "c"))
                .isInstanceOfSatisfying(OidcRefusal.class, r -> {
                    assertThat(r.kind()).isEqualTo(Kind.PROVIDER_UNAVAILABLE);
                    assertThat(r.detail()).isEqualTo("discovery document names another issuer");
                });
    }

    @Test
    void afterAFailedDiscoveryCallersAreAnsweredAtOnceWithoutAskingTheProviderAgain() {
        drain();
        OidcProvider provider = provider(server.issuerUrl("google") + "/");

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> provider.authorizationUrl(REDIRECT, "s", "n", "c"))
                    .isInstanceOfSatisfying(OidcRefusal.class,
                            r -> assertThat(r.kind()).isEqualTo(Kind.PROVIDER_UNAVAILABLE));
        }

        assertThat(drain()).as("requests the provider received").hasSize(1)
                .allMatch(path -> path.endsWith("/.well-known/openid-configuration"));
    }

    private OidcProvider provider(String issuer) {
        OidcSettings.Provider config = new OidcSettings.Provider(issuer, List.of(), "client", "secret",
                List.of("openid", "email"), List.of(REDIRECT), "email_verified");
        OidcSettings settings = new OidcSettings(Duration.ofSeconds(5), null, null, Map.of("p", config));
        return new OidcProvider("p", config, settings, new OidcHttp(settings), Clock.systemUTC());
    }

    /** The paths of the requests the provider has received since the last call. */
    private List<String> drain() {
        List<String> paths = new ArrayList<>();
        while (true) {
            RecordedRequest request;
            try {
                request = server.takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return paths;
            }
            paths.add(request.getPath());
        }
    }
}
