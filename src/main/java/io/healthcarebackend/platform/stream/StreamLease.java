package io.healthcarebackend.platform.stream;

import io.healthcarebackend.platform.CurrentUser;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream's hold on its user's access, from {@link AccessBoundStreams#open}: it remembers
 * the session, user, clinic and role of the token ({@link #user()}) and the token's expiry, and
 * tells the stream when it must end ({@link #whenEnded}). The stream {@link #close}s it when it is
 * over, whatever the reason, which gives its place under the per-user cap back.
 */
public final class StreamLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamLease.class);

    private final AccessBoundStreams owner;
    private final StreamKind kind;
    private final CurrentUser user;
    private final Instant expiresAt;
    private final AtomicReference<StreamEnd> ended = new AtomicReference<>();
    private final AtomicReference<Consumer<StreamEnd>> listener = new AtomicReference<>();
    private final AtomicBoolean told = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ScheduledFuture<?> expiry;

    StreamLease(AccessBoundStreams owner, StreamKind kind, CurrentUser user, Instant expiresAt) {
        this.owner = owner;
        this.kind = kind;
        this.user = user;
        this.expiresAt = expiresAt;
    }

    public CurrentUser user() {
        return user;
    }

    public StreamKind kind() {
        return kind;
    }

    /** When the access token the stream was opened with expires: the stream ends then at the latest. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Why the stream must end; null while it may go on. */
    public StreamEnd ended() {
        return ended.get();
    }

    /**
     * Tells {@code onEnd} (exactly once, never blocking the caller for long: it should only flag the
     * stream and wake its writer) when the stream must end — at once if it already must.
     */
    public void whenEnded(Consumer<StreamEnd> onEnd) {
        listener.set(onEnd);
        tell();
    }

    /** Gives the stream's place back; safe to call more than once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ScheduledFuture<?> timer = expiry;
            if (timer != null) {
                timer.cancel(false);
            }
            owner.release(this);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void expiry(ScheduledFuture<?> timer) {
        this.expiry = timer;
    }

    /** The first reason wins. */
    void end(StreamEnd reason) {
        if (ended.compareAndSet(null, reason)) {
            owner.counted(kind, reason);
            tell();
        }
    }

    private void tell() {
        StreamEnd reason = ended.get();
        Consumer<StreamEnd> onEnd = listener.get();
        if (reason != null && onEnd != null && told.compareAndSet(false, true)) {
            try {
                onEnd.accept(reason);
            } catch (RuntimeException e) {
                log.warn("A stream could not be told to end: {}", e.getClass().getSimpleName());
            }
        }
    }
}
