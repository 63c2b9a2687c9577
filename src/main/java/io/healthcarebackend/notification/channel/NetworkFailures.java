package io.healthcarebackend.notification.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Names a network failure by its kind only: exception messages may name hosts, and through a relay
 * even echo what was sent, so they never become reasons.
 */
final class NetworkFailures {

    private static final int MAX_DEPTH = 12;

    private NetworkFailures() {
    }

    /**
     * The reason for the first known kind of network failure in the cause chain, else for its first
     * other I/O failure (by class name), else empty.
     */
    static Optional<String> reason(Throwable failure) {
        String other = null;
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++, current = current.getCause()) {
            String reason = kind(current);
            if (reason != null) {
                return Optional.of(reason);
            }
            if (other == null && current instanceof IOException) {
                other = "I/O error (" + current.getClass().getSimpleName() + ")";
            }
        }
        return Optional.ofNullable(other);
    }

    private static String kind(Throwable failure) {
        return switch (failure) {
            case HttpConnectTimeoutException e -> "connect timeout";
            case HttpTimeoutException e -> "timeout";
            case SocketTimeoutException e -> "timeout";
            case ConnectException e -> "connection refused";
            case NoRouteToHostException e -> "no route to host";
            case UnknownHostException e -> "unknown host";
            case SSLException e -> "TLS failure";
            default -> null;
        };
    }
}
