package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is, when proxies (trusted or not) put addresses in X-Forwarded-For. */
class ClientIpTest {

    private final ClientIp behindProxies = new ClientIp(List.of("10.0.0.0/8", "192.0.2.1", "2001:db8:ffff::/48"));
    private final ClientIp direct = new ClientIp(List.of());

    @Test
    void anUntrustedPeersForwardedForIsIgnored() {
        assertThat(direct.resolve("198.51.100.7", List.of("203.0.113.9"))).isEqualTo("198.51.100.7");
        assertThat(behindProxies.resolve("198.51.100.7", List.of("203.0.113.9"))).isEqualTo("198.51.100.7");
    }

    @Test
    void behindATrustedProxyTheClientIsTheFirstUntrustedHopFromTheRight() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        // The client wrote the left-most entry itself; the proxies appended the rest.
        assertThat(behindProxies.resolve("10.1.2.3", List.of("1.1.1.1, 203.0.113.9, 192.0.2.1")))
                .isEqualTo("203.0.113.9");
        assertThat(behindProxies.resolve("10.1.2.3", List.of("1.1.1.1", "203.0.113.9, 10.9.9.9")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void garbageInTheChainStopsTheWalkAtTheLastTrustedHop() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("203.0.113.9, not-an-address"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", List.of("evil.example.com"))).isEqualTo("10.1.2.3");
    }

    @Test
    void onlyTrustedHopsMeansTheLeftMostOne() {
        assertThat(behindProxies.resolve("10.1.2.3", List.of("10.7.7.7, 192.0.2.1"))).isEqualTo("10.7.7.7");
        assertThat(behindProxies.resolve("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6AndPortsAreUnderstood() {
        assertThat(behindProxies.resolve("2001:db8:ffff::5", List.of("[2001:db8:1::7]:443")))
                .isEqualTo("2001:db8:1:0:0:0:0:7");
        assertThat(behindProxies.resolve("10.1.2.3", List.of("203.0.113.9:51234"))).isEqualTo("203.0.113.9");
    }

    @Test
    void ipv6ClientsAreLimitedPerSlash64() {
        assertThat(ClientIp.rateKey("2001:db8:1:2:aaaa::1")).isEqualTo(ClientIp.rateKey("2001:db8:1:2:bbbb::2"))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientIp.rateKey("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void aBadTrustedProxySettingStopsTheStart() {
        assertThatThrownBy(() -> new ClientIp(List.of("10.0.0.0/33"))).hasMessageContaining("TRUSTED_PROXIES");
        assertThatThrownBy(() -> new ClientIp(List.of("proxy.internal"))).hasMessageContaining("TRUSTED_PROXIES");
    }
}
