package io.healthcarebackend.notification.channel;

import io.healthcarebackend.notification.channel.ProviderHttp.Answer;
import io.healthcarebackend.notification.channel.ProviderHttp.Dialect;
import io.healthcarebackend.notification.channel.SendResult.Rejected;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * SMS through Twilio's Programmable Messaging API, or any provider shaped like it:
 * {@code POST {SMS_PROVIDER_URL}/2010-04-01/Accounts/{SMS_ACCOUNT_SID}/Messages.json} with the
 * form fields {@code To}, {@code From}, {@code Body}, HTTP Basic {@code SID:token}, and the
 * message's idempotency key in {@code I-Twilio-Idempotency-Token}, so that a provider or gateway
 * honouring it can drop a resend of a message it already took (after a timeout the first attempt
 * may have gone through). A Twilio error is reported by its numeric {@code code} only: its
 * {@code message} quotes the number.
 */
@Component
class TwilioSmsAdapter implements ChannelAdapter, AutoCloseable {

    /** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private final ChannelSettings.Sms settings;
    private final URI messagesUri;
    private final ProviderHttp http;
    private final Dialect dialect;

    TwilioSmsAdapter(ChannelSettings settings, Clock clock) {
        this.settings = settings.sms();
        // Built once, so a malformed SMS_PROVIDER_URL stops the start instead of every send.
        this.messagesUri = this.settings.complete() ? messagesUri(this.settings) : null;
        this.http = new ProviderHttp(settings.httpTimeout(), clock);
        this.dialect = new Dialect(answer -> text(answer.json().path("sid")), TwilioSmsAdapter::errorCode,
                "SMS_ACCOUNT_SID and SMS_AUTH_TOKEN");
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public boolean configured() {
        return settings.complete();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (message.channel() != Channel.SMS) {
            throw new IllegalArgumentException("not an SMS: " + message);
        }
        if (!configured()) {
            return new Rejected("SMS channel not configured");
        }
        if (!E164.matcher(message.recipient()).matches()) {
            return new Rejected("recipient is not an E.164 phone number");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", message.recipient());
        form.put("From", settings.from());
        form.put("Body", message.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(messagesUri)
                .header("Authorization", basic(settings.accountSid(), settings.authToken()))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", "application/json")
                .header("I-Twilio-Idempotency-Token", IdempotencyKeys.atext(message.idempotencyKey()))
                .POST(HttpRequest.BodyPublishers.ofString(formOf(form), StandardCharsets.UTF_8));
        return http.send(request, dialect);
    }

    private static URI messagesUri(ChannelSettings.Sms settings) {
        return ProviderHttp.endpoint(settings.providerUrl(), "/2010-04-01/Accounts/"
                + URLEncoder.encode(settings.accountSid(), StandardCharsets.UTF_8) + "/Messages.json",
                "SMS_PROVIDER_URL");
    }

    /** Twilio's error codes are integers (https://www.twilio.com/docs/api/errors); anything else is dropped. */
    private static String errorCode(Answer answer) {
        JsonNode code = answer.json().path("code");
        return code.isIntegralNumber() ? "code " + code.asLong() : null;
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String formOf(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        http.close();
    }
}
