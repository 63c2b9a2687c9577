package io.healthcarebackend.identity.internal;

import java.net.URI;
import java.util.Set;

/** Which provider addresses the service will talk to: HTTPS, or plain HTTP on this machine only (tests, development). */
final class OidcUris {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private OidcUris() {
    }

    static boolean trusted(URI uri) {
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
            return false;
        }
        return "https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()) && LOOPBACK.contains(uri.getHost().toLowerCase());
    }
}
