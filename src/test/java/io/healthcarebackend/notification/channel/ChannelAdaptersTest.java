package io.healthcarebackend.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Which adapters are on, from the environment variables through application.yml (loaded as the
 * service loads it) to {@link ChannelAdapters}.
 */
class ChannelAdaptersTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Channels.class);

    @Test
    void withNothingSetEveryChannelIsOff() {
        context.run(app -> {
            ChannelAdapters adapters = app.getBean(ChannelAdapters.class);
            for (Channel channel : Channel.values()) {
                assertThat(adapters.configured(channel)).as(channel.name()).isEmpty();
            }
            ChannelSettings settings = app.getBean(ChannelSettings.class);
            assertThat(settings.httpTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.email().port()).isEqualTo(587);
            assertThat(settings.email().starttls()).isTrue();
        });
    }

    @Test
    void aChannelIsOnOnceItsEnvironmentVariablesAreSet() {
        context.withSystemProperties("SMTP_HOST=smtp.clinic.test", "SMTP_PORT=2525", "SMTP_USERNAME=notify",
                "SMTP_PASSWORD=smtp-secret-value", "SMTP_STARTTLS=false", "NOTIFY_EMAIL_FROM=noreply@clinic.test",
                "SMS_PROVIDER_URL=https://api.twilio.com", "SMS_ACCOUNT_SID=AC123", "SMS_AUTH_TOKEN=sms-secret-value",
                "SMS_FROM=+15005550001", "NOTIFY_HTTP_TIMEOUT=3s").run(app -> {
                    ChannelAdapters adapters = app.getBean(ChannelAdapters.class);
                    assertThat(adapters.configured(Channel.EMAIL)).get().isInstanceOf(SmtpEmailAdapter.class);
                    assertThat(adapters.configured(Channel.SMS)).get().isInstanceOf(TwilioSmsAdapter.class);
                    assertThat(adapters.configured(Channel.PUSH)).isEmpty();

                    ChannelSettings settings = app.getBean(ChannelSettings.class);
                    assertThat(settings.email()).isEqualTo(new ChannelSettings.Email("smtp.clinic.test", 2525,
                            "notify", "smtp-secret-value", false, Duration.ofSeconds(10), "noreply@clinic.test"));
                    assertThat(settings.httpTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(settings.toString()).contains("smtp.clinic.test", "AC123")
                            .doesNotContain("smtp-secret-value").doesNotContain("sms-secret-value");
                });
        context.withSystemProperties("PUSH_PROVIDER_URL=https://fcm.googleapis.com", "PUSH_PROJECT_ID=clinic-demo-1",
                "PUSH_ACCESS_TOKEN=push-secret-value").run(app -> {
                    ChannelAdapters adapters = app.getBean(ChannelAdapters.class);
                    assertThat(adapters.configured(Channel.PUSH)).get().isInstanceOf(FcmPushAdapter.class);
                    assertThat(app.getBean(ChannelSettings.class).toString()).doesNotContain("push-secret-value");
                });
    }

    @Test
    void aMalformedProviderUrlStopsTheStart() {
        context.withSystemProperties("SMS_PROVIDER_URL=api.twilio.com", "SMS_ACCOUNT_SID=AC123",
                "SMS_AUTH_TOKEN=t", "SMS_FROM=+15005550001").run(app -> assertThat(app).hasFailed()
                        .getFailure().rootCause().hasMessage("SMS_PROVIDER_URL must be an http(s) URL with a host"));
    }

    @Test
    void twoConfiguredAdaptersForOneChannelAreAConfigurationError() {
        ChannelAdapter one = new FakeAdapter();
        assertThat(new ChannelAdapters(List.of(one)).configured(Channel.SMS)).containsSame(one);
        assertThatThrownBy(() -> new ChannelAdapters(List.of(one, new FakeAdapter())))
                .isInstanceOf(IllegalStateException.class);
    }

    private static final class FakeAdapter implements ChannelAdapter {

        @Override
        public Channel channel() {
            return Channel.SMS;
        }

        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public SendResult send(OutboundMessage message) {
            return new SendResult.Sent("fake");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ChannelSettings.class)
    @Import({SmtpEmailAdapter.class, TwilioSmsAdapter.class, FcmPushAdapter.class, ChannelAdapters.class})
    static class Channels {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
