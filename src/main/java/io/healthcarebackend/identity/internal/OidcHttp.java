package io.healthcarebackend.identity.internal;

import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import io.healthcarebackend.platform.http.CappedBody;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's calls to OpenID Connect providers: bounded in time ({@code OIDC_HTTP_TIMEOUT})
 * and size, no redirects followed, JSON only. A provider that cannot be reached or answers
 * nonsense is {@link Kind#PROVIDER_UNAVAILABLE}; a token endpoint that refuses the code is
 * {@link Kind#LOGIN_FAILED}.
 */
@Component
class OidcHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BODY = 256 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    OidcHttp(OidcSettings settings) {
        this.timeout = settings.httpTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    JsonNode getJson(URI uri) {
        Answer answer = send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build());
        if (answer.status() != 200) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider answered HTTP " + answer.status());
        }
        return answer.json();
    }

    /**
     * Redeems an authorization code at the token endpoint. The client secret goes in an HTTP Basic
     * header (RFC 6749 2.3.1, form-encoded id and secret) unless the provider offers only the body.
     */
    JsonNode redeem(OidcMetadata metadata, OidcSettings.Provider provider, Map<String, String> form) {
        Map<String, String> body = new java.util.LinkedHashMap<>(form);
        HttpRequest.Builder request = HttpRequest.newBuilder(metadata.tokenEndpoint()).timeout(timeout)
                .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded");
        if (metadata.secretInBody()) {
            body.put("client_id", provider.clientId());
            body.put("client_secret", provider.clientSecret());
        } else {
            String credentials = encode(provider.clientId()) + ":" + encode(provider.clientSecret());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        Answer answer = send(request.POST(HttpRequest.BodyPublishers.ofString(formOf(body))).build());
        if (answer.status() == 400 || answer.status() == 401) {
            throw new OidcRefusal(Kind.LOGIN_FAILED, "token endpoint refused the code: "
                    + errorCode(answer));
        }
        if (answer.status() != 200) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "token endpoint answered HTTP " + answer.status());
        }
        return answer.json();
    }

    private record Answer(int status, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JacksonException e) {
                throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider answered with malformed JSON");
            }
        }
    }

    /** One deadline for the whole exchange, body included, so a provider that trickles cannot hold a request. */
    private Answer send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request, info -> CappedBody.failingOver(MAX_BODY));
        try {
            HttpResponse<byte[]> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider did not answer within " + timeout);
        } catch (ExecutionException e) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE,
                    "provider unreachable: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "interrupted while calling the provider", e);
        }
    }


    /** The OAuth error code only (RFC 6749 5.2: a fixed ASCII vocabulary), never the description. */
    private static String errorCode(Answer answer) {
        try {
            String error = JSON.readTree(answer.body()).path("error").asString("");
            return error.matches("[a-z_]{1,40}") ? error : "HTTP " + answer.status();
        } catch (JacksonException e) {
            return "HTTP " + answer.status();
        }
    }

    private static String formOf(Map<String, String> form) {
        return form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
