package io.healthcarebackend.notification.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.RetryLater;
import io.healthcarebackend.notification.channel.SendResult.Sent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Push through an FCM HTTP v1-shaped API, against WireMock standing in for the provider. */
class FcmPushAdapterTest {

    private static final String PATH = "/v1/projects/clinic-demo-1/messages:send";
    private static final String ACCESS_TOKEN = "ya29.static-access-token-secret";
    private static final String DEVICE = "fcm-device-token-bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1";
    private static final String TITLE = "Rappel : rendez-vous à 9h30";
    private static final String BODY = "Jane, votre rendez-vous avec Dr Müller est demain.";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T08:00:00Z"), ZoneOffset.UTC);

    private final WireMockServer provider = new WireMockServer(options().dynamicPort());
    private FcmPushAdapter adapter;

    @BeforeEach
    void start() {
        provider.start();
        adapter = adapter(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        adapter.close();
        provider.stop();
    }

    @Test
    void aPushIsPostedAsAnFcmMessageWithTheBearerTokenAndTheIdempotencyKey() {
        answer(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"name\":\"projects/clinic-demo-1/messages/0:1500415314455276%31bd1c9631bd1c96\"}"));

        SendResult result = adapter.send(push("reminder-0195a3c4", TITLE));

        assertThat(result).isEqualTo(new Sent("projects/clinic-demo-1/messages/0:1500415314455276%31bd1c9631bd1c96"));
        provider.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("X-Idempotency-Key", equalTo("reminder-0195a3c4"))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withRequestBody(equalToJson("{\"message\":{\"token\":\"" + DEVICE
                        + "\",\"notification\":{\"title\":\"" + TITLE + "\",\"body\":\"" + BODY + "\"}}}")));
    }

    @Test
    void aPushWithoutTitleSendsOnlyTheBody() {
        answer(aResponse().withStatus(200).withBody("{\"name\":\"projects/clinic-demo-1/messages/1\"}"));

        assertThat(adapter.send(push("k1", null))).isEqualTo(new Sent("projects/clinic-demo-1/messages/1"));
        provider.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(
                "{\"message\":{\"token\":\"" + DEVICE + "\",\"notification\":{\"body\":\"" + BODY + "\"}}}")));
    }

    @Test
    void anUnregisteredDeviceIsRejected() {
        answer(fcmError(404, "NOT_FOUND", "UNREGISTERED"));

        assertThat(adapter.send(push("k1", TITLE))).isEqualTo(new Rejected("HTTP 404 UNREGISTERED"));
    }

    @Test
    void anInvalidMessageIsRejected() {
        answer(fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"));

        assertThat(adapter.send(push("k1", TITLE))).isEqualTo(new Rejected("HTTP 400 INVALID_ARGUMENT"));
    }

    @Test
    void aServerErrorIsRetriedLaterWithoutAdvice() {
        answer(fcmError(500, "INTERNAL", "INTERNAL"));

        assertThat(adapter.send(push("k1", TITLE))).isEqualTo(new RetryLater("HTTP 500 INTERNAL", null));
    }

    @Test
    void anUnavailableProviderIsRetriedAfterTheSecondsItAsks() {
        answer(fcmError(503, "UNAVAILABLE", "UNAVAILABLE").withHeader("Retry-After", "120"));

        assertThat(adapter.send(push("k1", TITLE)))
                .isEqualTo(new RetryLater("HTTP 503 UNAVAILABLE", Duration.ofSeconds(120)));
    }

    @Test
    void anExceededQuotaIsRetriedAfterTheDateItNames() {
        answer(fcmError(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")
                .withHeader("Retry-After", "Mon, 02 Mar 2026 08:00:45 GMT"));

        assertThat(adapter.send(push("k1", TITLE)))
                .isEqualTo(new RetryLater("HTTP 429 QUOTA_EXCEEDED", Duration.ofSeconds(45)));
    }

    @Test
    void aProviderSlowerThanTheTimeoutIsRetriedLater() {
        answer(aResponse().withStatus(200).withBody("{\"name\":\"m\"}").withFixedDelay(3_000));
        try (FcmPushAdapter impatient = adapter(Duration.ofMillis(300))) {
            assertThat(impatient.send(push("k1", TITLE))).isEqualTo(new RetryLater("timeout", null));
        }
    }

    @Test
    void anExpiredOrWrongAccessTokenIsRejectedAsAConfigurationProblem() {
        answer(aResponse().withStatus(401).withBody("{\"error\":{\"code\":401,\"message\":\"Request had invalid"
                + " authentication credentials. " + ACCESS_TOKEN + "\",\"status\":\"UNAUTHENTICATED\"}}"));

        SendResult result = adapter.send(push("k1", TITLE));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).startsWith("HTTP 401 UNAUTHENTICATED").contains("PUSH_ACCESS_TOKEN")
                .doesNotContain(ACCESS_TOKEN);
    }

    @Test
    void noReasonNamesTheDeviceTheTextOrTheTokenWhateverTheProviderEchoes() {
        String echoed = DEVICE + " " + TITLE + " " + BODY + " " + ACCESS_TOKEN;
        String body = "{\"error\":{\"code\":400,\"message\":\"" + echoed + "\",\"status\":\"" + echoed
                + "\",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + echoed + "\"}]}}";
        for (int status : new int[] {400, 401, 403, 404, 429, 500, 503}) {
            provider.resetAll();
            answer(aResponse().withStatus(status).withBody(body));

            SendResult result = adapter.send(push("k1", TITLE));

            String reason = switch (result) {
                case Rejected r -> r.reason();
                case RetryLater r -> r.reason();
                case Sent s -> throw new AssertionError("HTTP " + status + " was taken for success");
            };
            assertThat(reason).startsWith("HTTP " + status).doesNotContain("fcm-device-token")
                    .doesNotContain("Jane").doesNotContain("Rappel").doesNotContain(ACCESS_TOKEN);
        }
    }

    @Test
    void withoutAProjectTheChannelIsOff() {
        ChannelSettings noProject = new ChannelSettings(null, null, null,
                new ChannelSettings.Push(provider.baseUrl(), "", ACCESS_TOKEN));
        try (FcmPushAdapter off = new FcmPushAdapter(noProject, CLOCK)) {
            assertThat(off.configured()).isFalse();
            assertThat(off.send(push("k1", TITLE))).isEqualTo(new Rejected("push channel not configured"));
        }
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    private void answer(ResponseDefinitionBuilder response) {
        provider.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    /** An error as FCM HTTP v1 sends it (google.rpc.Status with an FcmError detail). */
    private static ResponseDefinitionBuilder fcmError(int status, String rpcStatus, String fcmErrorCode) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":" + status + ",\"message\":\"Requested entity was not found for "
                        + DEVICE + "\",\"status\":\"" + rpcStatus + "\",\"details\":[{\"@type\":"
                        + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\""
                        + fcmErrorCode + "\"}]}}");
    }

    private FcmPushAdapter adapter(Duration timeout) {
        return new FcmPushAdapter(new ChannelSettings(timeout, null, null,
                new ChannelSettings.Push(provider.baseUrl(), "clinic-demo-1", ACCESS_TOKEN)), CLOCK);
    }

    private static OutboundMessage push(String key, String title) {
        return new OutboundMessage(key, Channel.PUSH, DEVICE, title, BODY);
    }
}
