package io.healthcarebackend.platform.stream;

/** Why {@link AccessBoundStreams} ended a stream; sent to the client as the stream's last event. */
public enum StreamEnd {
    /** The access token the stream was opened with expired: refresh it, then reconnect. */
    TOKEN_EXPIRED,
    /**
     * The session behind the token ended (logout, revocation, session limit, deactivation, role
     * change, idle or absolute timeout): sign in again.
     */
    SESSION_ENDED,
    /** The session could not be checked (its store is unreachable): reconnect later. */
    SESSION_UNVERIFIED
}
