package io.healthcarebackend.notification.channel;

import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.RetryLater;
import io.healthcarebackend.notification.channel.SendResult.Sent;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import io.healthcarebackend.platform.http.CappedBody;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP call to an SMS or push provider, bounded in time and size, and the classification of
 * its outcome shared by those adapters: 2xx sent; 408, 425, 429 and 5xx retry later (after
 * {@code Retry-After} when given); 401 and 403 rejected as a credentials problem, so operators see
 * the misconfiguration; any other status rejected; timeouts and network failures retry later.
 */
final class ProviderHttp implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BODY = 64 * 1024;

    /** A provider's answer. The body may echo the recipient or the text: it is read, never quoted. */
    record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {

        JsonNode json() {
            try {
                return body.length == 0 ? JSON.missingNode() : JSON.readTree(body);
            } catch (JacksonException e) {
                return JSON.missingNode();
            }
        }
    }

    /**
     * How one provider's answers read.
     *
     * @param providerId the message's id in a 2xx answer (null if it has none)
     * @param errorDetail a provider error code to append to {@code HTTP <status>}, from a fixed
     *     vocabulary only ({@code code 21211}, {@code UNREGISTERED}), or null
     * @param credentials the settings to check when the provider refuses the credentials
     */
    record Dialect(Function<Answer, String> providerId, Function<Answer, String> errorDetail, String credentials) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    ProviderHttp(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The provider's endpoint: {@code baseUrl} (an operator setting, named {@code setting} in the
     * error) followed by {@code path}. Checked when the adapter is built, so a malformed URL stops the
     * start instead of failing every send.
     */
    static URI endpoint(String baseUrl, String path, String setting) {
        URI uri;
        try {
            uri = new URI(baseUrl + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a valid URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL with a host");
        }
        return uri;
    }

    SendResult send(HttpRequest.Builder request, Dialect dialect) {
        Answer answer;
        try {
            answer = exchange(request.timeout(timeout).build());
        } catch (TimeoutException e) {
            return new RetryLater("timeout", null);
        } catch (ExecutionException e) {
            return new RetryLater(NetworkFailures.reason(e.getCause()).orElse("HTTP client error"), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RetryLater("interrupted", null);
        }
        return classify(answer, dialect);
    }

    private SendResult classify(Answer answer, Dialect dialect) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new Sent(dialect.providerId().apply(answer));
        }
        String detail = dialect.errorDetail().apply(answer);
        String reason = "HTTP " + status + (detail == null ? "" : " " + detail);
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new RetryLater(reason,
                    RetryAfter.parse(answer.headers().firstValue("Retry-After").orElse(null), clock.instant()));
        }
        if (status == 401 || status == 403) {
            return new Rejected(reason + ": provider refused the credentials (check " + dialect.credentials() + ")");
        }
        return new Rejected(reason);
    }

    /** One deadline for the whole exchange, body included, so a provider that trickles cannot hold a worker. */
    private Answer exchange(HttpRequest request) throws TimeoutException, ExecutionException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request, info -> CappedBody.truncatedAt(MAX_BODY));
        try {
            HttpResponse<byte[]> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException | InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }

}
