package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientNetworkTest {

    private final SessionCipher cipher = new SessionCipher(new SessionSettings(Duration.ofMinutes(15),
            Duration.ofHours(12), 5, Duration.ofMinutes(30), "dGVzdC1vbmx5LXNlc3Npb24tZGF0YS1rZXktdGhpcnR5LXR3by1ieXRlcyE",
            new SessionSettings.Suspicious(true, Duration.ofMinutes(2), 5, Duration.ofMinutes(5)), Duration.ofSeconds(10)));

    @Test
    void addressesOfOneProviderBlockShareANetworkAndOthersDoNot() {
        assertThat(ClientNetwork.of("203.0.113.7")).isEqualTo(ClientNetwork.of("203.0.200.99"));
        assertThat(ClientNetwork.of("203.0.113.7")).isNotEqualTo(ClientNetwork.of("198.51.100.7"));
        assertThat(ClientNetwork.of("2001:db8:1:2::1")).isEqualTo(ClientNetwork.of("2001:db8:1:ffff::9"));
        assertThat(ClientNetwork.of("2001:db8:1:2::1")).isNotEqualTo(ClientNetwork.of("2001:db8:2:2::1"));
    }

    @Test
    void namesAndGarbageAreNoNetworkAndAreNeverResolved() {
        assertThat(ClientNetwork.of("example.org")).isNull();
        assertThat(ClientNetwork.of("")).isNull();
        assertThat(ClientNetwork.of(null)).isNull();
    }

    @Test
    void theDeviceIsTheBrowserFamilyAndSystemNotTheVersion() {
        String firefox139 = "Mozilla/5.0 (X11; Linux x86_64; rv:139.0) Gecko/20100101 Firefox/139.0";
        String firefox140 = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
        String edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0";
        String iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assertThat(ClientNetwork.device(firefox139)).isEqualTo(ClientNetwork.device(firefox140))
                .isEqualTo("Firefox on Linux");
        assertThat(ClientNetwork.device(edge)).isEqualTo("Edge on Windows");
        assertThat(ClientNetwork.device(iphone)).isEqualTo("Safari on iOS");
        assertThat(ClientNetwork.device(null)).isEqualTo("unknown device");
    }

    @Test
    void sealedValuesOpenOnlyForTheirSessionAndField() {
        UUID session = UUID.randomUUID();
        String sealed = cipher.seal(session, "ip", "203.0.113.7");

        assertThat(sealed).startsWith("v1:").doesNotContain("203.0.113.7");
        assertThat(cipher.open(session, "ip", sealed)).isEqualTo("203.0.113.7");
        assertThat(cipher.open(UUID.randomUUID(), "ip", sealed)).isNull();
        assertThat(cipher.open(session, "ua", sealed)).isNull();
        assertThat(cipher.seal(session, "ip", "203.0.113.7")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void networksAreComparedAsKeyedHashesWithoutTheAddress() {
        String hash = cipher.network("203.0.113.7");

        assertThat(hash).hasSize(32).isEqualTo(cipher.network("203.0.50.1")).doesNotContain("203");
        assertThat(cipher.network("198.51.100.7")).isNotEqualTo(hash);
    }
}
