package io.healthcarebackend.notification.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.RetryLater;
import io.healthcarebackend.notification.channel.SendResult.Sent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMS through a Twilio-shaped API, against WireMock standing in for the provider. */
class TwilioSmsAdapterTest {

    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "auth-token-secret-4f1d";
    private static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    private static final String RECIPIENT = "+15005550006";
    private static final String BODY = "Hi Jane, reminder: Dr Müller tomorrow 9:30 & bring your card.";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T08:00:00Z"), ZoneOffset.UTC);

    private final WireMockServer provider = new WireMockServer(options().dynamicPort());
    private TwilioSmsAdapter adapter;

    @BeforeEach
    void start() {
        provider.start();
        adapter = adapter(provider.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        adapter.close();
        provider.stop();
    }

    @Test
    void aTextIsPostedAsTwilioFormsItWithBasicAuthAndTheIdempotencyToken() {
        answer(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"SM87105da94bff44b999e4e6eb90d8eb6a\",\"status\":\"queued\"}"));

        SendResult result = adapter.send(sms("reminder-0195a3c4"));

        assertThat(result).isEqualTo(new Sent("SM87105da94bff44b999e4e6eb90d8eb6a"));
        provider.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder()
                        .encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8))))
                .withHeader("I-Twilio-Idempotency-Token", equalTo("reminder-0195a3c4"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded; charset=UTF-8")));
        LoggedRequest request = provider.findAll(postRequestedFor(urlEqualTo(PATH))).getFirst();
        assertThat(form(request.getBodyAsString()))
                .isEqualTo(Map.of("To", RECIPIENT, "From", "+15005550001", "Body", BODY));
    }

    @Test
    void aKeyUnfitForAHeaderTravelsPercentEncoded() {
        answer(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}"));

        assertThat(adapter.send(sms("appointment:42 reminder\r\nX-Evil: 1"))).isEqualTo(new Sent("SM1"));
        provider.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("I-Twilio-Idempotency-Token", equalTo("appointment%3A42%20reminder%0D%0AX-Evil%3A%201"))
                .withoutHeader("X-Evil"));
    }

    @Test
    void aServerErrorIsRetriedLaterWithoutAdvice() {
        answer(aResponse().withStatus(500).withBody("{\"code\":20500,\"message\":\"Internal error\"}"));

        assertThat(adapter.send(sms("k1"))).isEqualTo(new RetryLater("HTTP 500 code 20500", null));
    }

    @Test
    void anUnavailableProviderIsRetriedAfterTheDateItNames() {
        answer(aResponse().withStatus(503).withHeader("Retry-After", "Mon, 02 Mar 2026 08:02:00 GMT"));

        assertThat(adapter.send(sms("k1"))).isEqualTo(new RetryLater("HTTP 503", Duration.ofMinutes(2)));
    }

    @Test
    void tooManyRequestsAreRetriedAfterTheSecondsTheProviderAsks() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withBody("{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}"));

        assertThat(adapter.send(sms("k1"))).isEqualTo(new RetryLater("HTTP 429 code 20429", Duration.ofSeconds(30)));
    }

    @Test
    void aProviderSlowerThanTheTimeoutIsRetriedLater() {
        answer(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}").withFixedDelay(3_000));
        try (TwilioSmsAdapter impatient = adapter(provider.baseUrl(), Duration.ofMillis(300))) {
            assertThat(impatient.send(sms("k1"))).isEqualTo(new RetryLater("timeout", null));
        }
    }

    @Test
    void anUnreachableProviderIsRetriedLater() throws IOException {
        try (TwilioSmsAdapter unreachable = adapter("http://127.0.0.1:" + SmtpEmailAdapterTest.closedPort(),
                Duration.ofSeconds(2))) {
            assertThat(unreachable.send(sms("k1"))).isEqualTo(new RetryLater("connection refused", null));
        }
    }

    @Test
    void anInvalidNumberIsRejectedByTheProvidersErrorCodeOnly() {
        answer(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":21211,\"message\":\"The 'To' number " + RECIPIENT
                        + " is not a valid phone number.\",\"more_info\":\"https://www.twilio.com/docs/errors/21211\","
                        + "\"status\":400}"));

        assertThat(adapter.send(sms("k1"))).isEqualTo(new Rejected("HTTP 400 code 21211"));
    }

    @Test
    void refusedCredentialsAreRejectedAsAConfigurationProblem() {
        answer(aResponse().withStatus(401).withBody("{\"code\":20003,\"message\":\"Authenticate\"}"));

        SendResult result = adapter.send(sms("k1"));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).startsWith("HTTP 401 code 20003").contains("SMS_AUTH_TOKEN")
                .doesNotContain(TOKEN);
    }

    @Test
    void aNumberThatIsNotE164IsRejectedWithoutCallingTheProvider() {
        for (String number : List.of("0612345678", "+33 6 12 34 56 78", "+0123456", "jane@mail.test")) {
            SendResult result = adapter.send(new OutboundMessage("k1", Channel.SMS, number, null, BODY));
            assertThat(result).isEqualTo(new Rejected("recipient is not an E.164 phone number"));
        }
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void noReasonNamesTheRecipientTheTextOrTheTokenWhateverTheProviderEchoes() {
        String echo = "{\"code\":21610,\"message\":\"" + RECIPIENT + " " + BODY + " " + TOKEN
                + "\",\"more_info\":\"" + RECIPIENT + "\"}";
        for (int status : new int[] {400, 401, 403, 404, 409, 422, 429, 500, 502, 503}) {
            provider.resetAll();
            answer(aResponse().withStatus(status).withHeader("Retry-After", RECIPIENT).withBody(echo));

            SendResult result = adapter.send(sms("k1"));

            String reason = switch (result) {
                case Rejected r -> r.reason();
                case RetryLater r -> r.reason();
                case Sent s -> throw new AssertionError("HTTP " + status + " was taken for success");
            };
            assertThat(reason).startsWith("HTTP " + status).doesNotContain(RECIPIENT).doesNotContain("5550006")
                    .doesNotContain("Jane").doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutTheAccountOrTheTokenTheChannelIsOff() {
        ChannelSettings noToken = new ChannelSettings(null,
                null, new ChannelSettings.Sms(provider.baseUrl(), SID, " ", "+15005550001"), null);
        try (TwilioSmsAdapter off = new TwilioSmsAdapter(noToken, CLOCK)) {
            assertThat(off.configured()).isFalse();
            assertThat(off.send(sms("k1"))).isEqualTo(new Rejected("SMS channel not configured"));
        }
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    private void answer(ResponseDefinitionBuilder response) {
        provider.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    private static TwilioSmsAdapter adapter(String url, Duration timeout) {
        return new TwilioSmsAdapter(new ChannelSettings(timeout, null,
                new ChannelSettings.Sms(url + "/", SID, TOKEN, "+15005550001"), null), CLOCK);
    }

    private static OutboundMessage sms(String key) {
        return new OutboundMessage(key, Channel.SMS, RECIPIENT, "ignored subject", BODY);
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
