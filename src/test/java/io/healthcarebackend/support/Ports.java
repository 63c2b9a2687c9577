package io.healthcarebackend.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for the servers tests start themselves (the service as a process, providers, proxies). */
public final class Ports {

    private Ports() {
    }

    /** A port free on this machine now, chosen by the system. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
