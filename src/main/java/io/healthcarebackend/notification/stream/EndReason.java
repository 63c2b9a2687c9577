package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.stream.StreamEnd;

/**
 * Why the service ends a stream, sent as the last event ({@code event: end}). Every one of them
 * but {@link #SESSION_ENDED} means: reconnect (with a fresh token and {@code Last-Event-ID}) and
 * nothing is lost.
 */
enum EndReason {
    /** The access token the stream was opened with expired: refresh it, then reconnect. */
    TOKEN_EXPIRED,
    /**
     * The session behind the token ended (logout, revocation, session limit, deactivation, role
     * change, timeout): sign in again.
     */
    SESSION_ENDED,
    /** The session could not be checked (its store is unreachable): reconnect later. */
    SESSION_UNVERIFIED,
    /** The client read too slowly and its queue filled up: reconnect and resume. */
    SLOW_CONSUMER,
    /** This instance lost its event subscription for a moment: reconnect and resume. */
    RESUBSCRIBED,
    /** This instance is stopping: reconnect (to another instance). */
    SHUTDOWN,
    /** The container gave up on the request (timeout or I/O error). */
    CONNECTION_ERROR;

    /** Why the stream's hold on its user's access ended. */
    static EndReason of(StreamEnd end) {
        return switch (end) {
            case TOKEN_EXPIRED -> TOKEN_EXPIRED;
            case SESSION_ENDED -> SESSION_ENDED;
            case SESSION_UNVERIFIED -> SESSION_UNVERIFIED;
        };
    }
}
