package io.healthcarebackend.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

class TomcatChannelCacheTest extends ApiTest {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theRunningConnectorKeepsABoundedCacheOfClosedChannels() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        assertThat(server.getTomcat().getConnector().getProperty("socket.bufferPool")).hasToString(TomcatChannelCache.SIZE);
    }
}
