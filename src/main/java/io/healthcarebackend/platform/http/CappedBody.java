package io.healthcarebackend.platform.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body of an outside service (identity provider, message provider) collected up to a
 * limit, so a huge or endless answer cannot fill memory. Past the limit it either fails the call
 * ({@link #failingOver}: the body must be whole to be used, e.g. a token response) or keeps the
 * first bytes and drops the rest ({@link #truncatedAt}: only an id or an error code is read, and
 * failing would turn a provider's 2xx into a retry).
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final int limit;
    private final boolean failOver;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private CappedBody(int limit, boolean failOver) {
        this.limit = limit;
        this.failOver = failOver;
    }

    public static CappedBody failingOver(int limit) {
        return new CappedBody(limit, true);
    }

    public static CappedBody truncatedAt(int limit) {
        return new CappedBody(limit, false);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            if (failOver && body.size() + buffer.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new IOException("response larger than " + limit + " bytes"));
                return;
            }
            int keep = Math.min(buffer.remaining(), limit - body.size());
            if (keep > 0) {
                byte[] bytes = new byte[keep];
                buffer.get(bytes);
                body.writeBytes(bytes);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(body.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
