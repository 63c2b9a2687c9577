package io.healthcarebackend.notification.channel;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The notification channels' providers ({@code app.notifications.channels}, README "Notification
 * channels"). A channel whose provider is not fully set up is off. The secrets here (SMTP password,
 * SMS auth token, push access token) never appear in {@link #toString()}.
 *
 * @param httpTimeout connect timeout and deadline of each call to the SMS and push providers
 *     ({@code NOTIFY_HTTP_TIMEOUT})
 */
@ConfigurationProperties("app.notifications.channels")
record ChannelSettings(Duration httpTimeout, Email email, Sms sms, Push push) {

    private static final String MASKED = "******";

    ChannelSettings {
        httpTimeout = positive(httpTimeout, Duration.ofSeconds(10));
        email = email == null ? new Email(null, 0, null, null, null, null, null) : email;
        sms = sms == null ? new Sms(null, null, null, null) : sms;
        push = push == null ? new Push(null, null, null) : push;
    }

    /**
     * SMTP relay and sender.
     *
     * @param starttls true (the default) requires STARTTLS: without it the connection fails rather
     *     than sending credentials and message in clear; null binds to true
     * @param timeout connect, read and write timeout of the SMTP connection
     */
    record Email(String host, int port, String username, String password, Boolean starttls, Duration timeout,
            String from) {

        Email {
            host = blankToNull(host);
            port = port == 0 ? 587 : port;
            username = blankToNull(username);
            password = blankToNull(password);
            starttls = starttls == null ? Boolean.TRUE : starttls;
            timeout = positive(timeout, Duration.ofSeconds(10));
            from = blankToNull(from);
        }

        boolean complete() {
            return host != null && from != null;
        }

        @Override
        public String toString() {
            return "Email[host=" + host + ", port=" + port + ", username=" + username + ", password="
                    + (password == null ? null : MASKED) + ", starttls=" + starttls + ", timeout=" + timeout
                    + ", from=" + from + "]";
        }
    }

    /**
     * A Twilio-shaped SMS API.
     *
     * @param providerUrl base URL, {@code https://api.twilio.com} for Twilio; unset = SMS off
     * @param from sending number (E.164) or alphanumeric sender id
     */
    record Sms(String providerUrl, String accountSid, String authToken, String from) {

        Sms {
            providerUrl = baseUrl(providerUrl);
            accountSid = blankToNull(accountSid);
            authToken = blankToNull(authToken);
            from = blankToNull(from);
        }

        boolean complete() {
            return providerUrl != null && accountSid != null && authToken != null && from != null;
        }

        @Override
        public String toString() {
            return "Sms[providerUrl=" + providerUrl + ", accountSid=" + accountSid + ", authToken="
                    + (authToken == null ? null : MASKED) + ", from=" + from + "]";
        }
    }

    /**
     * A Firebase Cloud Messaging HTTP v1-shaped push API.
     *
     * @param providerUrl base URL, {@code https://fcm.googleapis.com} for FCM; unset = push off
     * @param accessToken OAuth2 bearer token (static here: see {@link FcmPushAdapter} for real FCM)
     */
    record Push(String providerUrl, String projectId, String accessToken) {

        Push {
            providerUrl = baseUrl(providerUrl);
            projectId = blankToNull(projectId);
            accessToken = blankToNull(accessToken);
        }

        boolean complete() {
            return providerUrl != null && projectId != null && accessToken != null;
        }

        @Override
        public String toString() {
            return "Push[providerUrl=" + providerUrl + ", projectId=" + projectId + ", accessToken="
                    + (accessToken == null ? null : MASKED) + "]";
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String baseUrl(String value) {
        String url = blankToNull(value);
        while (url != null && url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
