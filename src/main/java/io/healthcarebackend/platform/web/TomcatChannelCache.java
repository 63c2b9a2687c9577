package io.healthcarebackend.platform.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.stereotype.Component;

/**
 * Bounds Tomcat's cache of closed connections' channels. By default it keeps heap/32 bytes' worth
 * of them, and each still holds its last request's objects (about 130 KiB): after 10,000 event
 * streams closed (docs/benchmarks.md) about 1 GB of a 4 GB heap stayed reachable until new
 * connections reused it. 500 channels keep reuse for ordinary traffic and bound the rest.
 */
@Component
class TomcatChannelCache implements TomcatConnectorCustomizer {

    static final String SIZE = "500";

    @Override
    public void customize(org.apache.catalina.connector.Connector connector) {
        connector.setProperty("socket.bufferPool", SIZE);
    }
}
