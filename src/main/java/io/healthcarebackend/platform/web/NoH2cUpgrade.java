package io.healthcarebackend.platform.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.Request;
import org.apache.coyote.http2.Http2Protocol;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.stereotype.Component;

/**
 * HTTP/2 without the cleartext upgrade. An {@code Upgrade: h2c} request on a plain HTTP/1.1
 * connection is answered as the HTTP/1.1 request it is, never with 101 Switching Protocols: a
 * proxy that passes the upgrade through would otherwise hand the client a raw HTTP/2 connection
 * to the service, on which the proxy's path rules (no /metrics, no /health from outside) and its
 * access log no longer apply ("h2c smuggling"). HTTP/2 itself stays: with prior knowledge on
 * cleartext and through ALPN on TLS. Spring Boot's own registration is off
 * ({@code server.http2.enabled: false}) so that this one is the only HTTP/2 protocol.
 */
@Component
class NoH2cUpgrade implements TomcatConnectorCustomizer {

    @Override
    public void customize(Connector connector) {
        connector.addUpgradeProtocol(new Http2WithoutUpgrade());
    }

    static final class Http2WithoutUpgrade extends Http2Protocol {
        @Override
        public boolean accept(Request request) {
            return false;
        }
    }
}
