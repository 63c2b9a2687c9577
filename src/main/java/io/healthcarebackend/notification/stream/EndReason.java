package io.healthcarebackend.notification.stream;

/**
 * Why the service ends a stream, sent as the last event ({@code event: end}). Every one of them
 * but {@link #SESSION_ENDED} means: reconnect (with a fresh token and {@code Last-Event-ID}) and
 * nothing is lost.
 */
enum EndReason {
    /** The access token the stream was opened with expired: refresh it, then reconnect. */
    TOKEN_EXPIRED,
    /** The session behind the token was revoked or timed out: sign in again. */
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
    CONNECTION_ERROR
}
