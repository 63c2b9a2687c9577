package io.healthcarebackend.notification.channel;

import io.healthcarebackend.notification.channel.ProviderHttp.Answer;
import io.healthcarebackend.notification.channel.ProviderHttp.Dialect;
import io.healthcarebackend.notification.channel.SendResult.Rejected;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Push through Firebase Cloud Messaging's HTTP v1 API, or any provider shaped like it:
 * {@code POST {PUSH_PROVIDER_URL}/v1/projects/{PUSH_PROJECT_ID}/messages:send} with
 * {@code {"message":{"token":…,"notification":{"title":…,"body":…}}}} and a bearer token; the
 * answer's {@code name} is the message id. An FCM error is reported by its {@code errorCode}
 * ({@code UNREGISTERED}, {@code INVALID_ARGUMENT}, …) or its {@code status}, never its message;
 * an unregistered token (404) is rejected like every other 4xx.
 *
 * <p>Access token: real FCM takes an OAuth2 access token of a service account (scope
 * {@code https://www.googleapis.com/auth/firebase.messaging}) that lives one hour, so a static
 * {@code PUSH_ACCESS_TOKEN} only suits a gateway with long-lived tokens or tests. The token is read
 * through {@link #accessToken} on every send: a source that mints and refreshes tokens from a
 * service-account key (for example google-auth-library's {@code GoogleCredentials}
 * {@code .refreshIfExpired()}) plugs in there, replacing the settings' static value.
 *
 * <p>FCM itself ignores {@code X-Idempotency-Key}; it is sent for gateways in front of it. A push
 * resent after a timeout may therefore show twice.
 */
@Component
class FcmPushAdapter implements ChannelAdapter, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** FCM's error codes and Google API statuses are upper-case words; anything else is dropped. */
    private static final Pattern ERROR_WORD = Pattern.compile("[A-Z][A-Z_]{0,39}");

    private final ChannelSettings.Push settings;
    private final URI sendUri;
    private final Supplier<String> accessToken;
    private final ProviderHttp http;
    private final Dialect dialect;

    FcmPushAdapter(ChannelSettings settings, Clock clock) {
        this.settings = settings.push();
        this.sendUri = this.settings.complete() ? sendUri(this.settings) : null;
        this.accessToken = this.settings::accessToken;
        this.http = new ProviderHttp(settings.httpTimeout(), clock);
        this.dialect = new Dialect(answer -> text(answer.json().path("name")), FcmPushAdapter::errorCode,
                "PUSH_ACCESS_TOKEN and PUSH_PROJECT_ID");
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    @Override
    public boolean configured() {
        return settings.complete();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (message.channel() != Channel.PUSH) {
            throw new IllegalArgumentException("not a push message: " + message);
        }
        if (!configured()) {
            return new Rejected("push channel not configured");
        }
        if (message.recipient().isBlank()) {
            return new Rejected("no device token");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(sendUri)
                .header("Authorization", "Bearer " + accessToken.get())
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Accept", "application/json")
                .header("X-Idempotency-Key", IdempotencyKeys.atext(message.idempotencyKey()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(message))));
        return http.send(request, dialect);
    }

    private static ObjectNode body(OutboundMessage message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode fcm = root.putObject("message");
        fcm.put("token", message.recipient());
        ObjectNode notification = fcm.putObject("notification");
        if (message.subject() != null) {
            notification.put("title", message.subject());
        }
        notification.put("body", message.body());
        return root;
    }

    private static URI sendUri(ChannelSettings.Push settings) {
        return ProviderHttp.endpoint(settings.providerUrl(), "/v1/projects/"
                + URLEncoder.encode(settings.projectId(), StandardCharsets.UTF_8) + "/messages:send",
                "PUSH_PROVIDER_URL");
    }

    /**
     * {@code error.details[].errorCode} of type {@code google.firebase.fcm.v1.FcmError} (the precise
     * reason, e.g. {@code UNREGISTERED}), else {@code error.status} (e.g. {@code NOT_FOUND}).
     */
    private static String errorCode(Answer answer) {
        JsonNode error = answer.json().path("error");
        for (JsonNode detail : error.path("details")) {
            String code = text(detail.path("errorCode"));
            if (code != null && ERROR_WORD.matcher(code).matches()) {
                return code;
            }
        }
        String status = text(error.path("status"));
        return status != null && ERROR_WORD.matcher(status).matches() ? status : null;
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    @Override
    public void close() {
        http.close();
    }
}
