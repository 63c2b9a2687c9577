package io.healthcarebackend.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.RetryLater;
import io.healthcarebackend.notification.channel.SendResult.Sent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail over SMTP against GreenMail (a real SMTP server in the test) and a scripted one for failures. */
class SmtpEmailAdapterTest {

    private static final String RECIPIENT = "jane.patient@mail.test";
    private static final String BODY = "Bonjour Jane, rappel : rendez-vous demain à 9h30 avec Dr Müller.";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("notify@clinic.test", "notify", "right"));

    @Test
    void aMessageArrivesAsPlainUtf8TextWithItsSubjectSenderAndIdempotentMessageId() throws Exception {
        SmtpEmailAdapter adapter = adapter(SMTP.getSmtp().getPort(), null, null);

        SendResult result = adapter.send(email("reminder-0195a3c4", RECIPIENT));

        assertThat(result).isEqualTo(new Sent("<reminder-0195a3c4@healthcare-backend>"));
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("Rappel : votre rendez-vous à 9h30");
        assertThat(mail.getContent()).isEqualTo(BODY);
        assertThat(mail.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        InternetAddress from = (InternetAddress) mail.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("noreply@clinic.test");
        assertThat(from.getPersonal()).isEqualTo("Cabinet Müller");
        assertThat(mail.getHeader("From")[0]).isEqualTo("=?UTF-8?Q?Cabinet_M=C3=BCller?= <noreply@clinic.test>");
        assertThat(mail.getAllRecipients()).containsExactly(new InternetAddress(RECIPIENT));
        assertThat(mail.getMessageID()).isEqualTo("<reminder-0195a3c4@healthcare-backend>");
        assertThat(mail.getHeader("X-Idempotency-Key")).containsExactly("reminder-0195a3c4");
    }

    @Test
    void everyAttemptAtAMessageCarriesTheSameMessageIdEvenForKeysWithUnsafeCharacters() throws Exception {
        SmtpEmailAdapter adapter = adapter(SMTP.getSmtp().getPort(), null, null);
        String key = "appointment:42/reminder 24h\r\nBcc: x@y.test";

        SendResult first = adapter.send(email(key, RECIPIENT));
        SendResult second = adapter.send(email(key, RECIPIENT));

        String expected = "<appointment%3A42/reminder%2024h%0D%0ABcc%3A%20x%40y.test@healthcare-backend>";
        assertThat(first).isEqualTo(new Sent(expected));
        assertThat(second).isEqualTo(first);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).extracting(MimeMessage::getMessageID).containsExactly(expected, expected);
        assertThat(received[0].getHeader("Bcc")).isNull();
        assertThat(received[0].getAllRecipients()).containsExactly(new InternetAddress(RECIPIENT));
    }

    @Test
    void anInvalidAddressIsRejectedWithoutNamingIt() {
        SmtpEmailAdapter adapter = adapter(SMTP.getSmtp().getPort(), null, null);

        for (String invalid : new String[] {"jane patient", "jane.patient", "jane@mail.test, eve@mail.test",
                "jane@mail.test\r\nBcc: eve@mail.test"}) {
            assertThat(adapter.send(email("k-" + invalid.length(), invalid)))
                    .isEqualTo(new Rejected("invalid e-mail address"));
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void aServerThatIsDownIsRetriedLater() throws IOException {
        SmtpEmailAdapter adapter = adapter(closedPort(), null, null);

        assertThat(adapter.send(email("k1", RECIPIENT))).isEqualTo(new RetryLater("connection refused", null));
    }

    @Test
    void refusedCredentialsAreRejectedAsAConfigurationProblemWithoutThePassword() {
        SmtpEmailAdapter adapter = adapter(SMTP.getSmtp().getPort(), "notify", "wrong-secret-value");

        SendResult result = adapter.send(email("k1", RECIPIENT));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).contains("SMTP_PASSWORD").doesNotContain("wrong-secret-value");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void rightCredentialsSend() {
        SmtpEmailAdapter adapter = adapter(SMTP.getSmtp().getPort(), "notify", "right");

        assertThat(adapter.send(email("k1", RECIPIENT))).isInstanceOf(Sent.class);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aTransientReplyToTheRecipientIsRetriedLaterByItsCodeOnly() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()
                .reply("RCPT", "451 4.3.0 <" + RECIPIENT + ">: mailbox temporarily unavailable")) {
            SendResult result = adapter(server.port(), null, null).send(email("k1", RECIPIENT));

            assertThat(result).isEqualTo(new RetryLater("SMTP 451", null));
        }
    }

    @Test
    void aPermanentReplyToTheRecipientIsRejectedByItsCodeOnly() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()
                .reply("RCPT", "550 5.1.1 <" + RECIPIENT + ">: Recipient address rejected: User unknown")) {
            SendResult result = adapter(server.port(), null, null).send(email("k1", RECIPIENT));

            assertThat(result).isEqualTo(new Rejected("SMTP 550"));
        }
    }

    @Test
    void aMessageRefusedAfterItsTextIsRejectedAndATransientRefusalRetried() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer().reply("DATA-END", "554 5.7.1 Message rejected: "
                + BODY)) {
            assertThat(adapter(server.port(), null, null).send(email("k1", RECIPIENT)))
                    .isEqualTo(new Rejected("SMTP 554"));
        }
        try (ScriptedSmtpServer server = new ScriptedSmtpServer().reply("DATA-END", "452 4.3.1 Insufficient storage")) {
            assertThat(adapter(server.port(), null, null).send(email("k1", RECIPIENT)))
                    .isEqualTo(new RetryLater("SMTP 452", null));
        }
    }

    @Test
    void aServerThatNeverAnswersIsRetriedLaterAfterTheTimeout() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer().reply("GREETING", "SILENT")) {
            SmtpEmailAdapter adapter = new SmtpEmailAdapter(settings(server.port(), null, null,
                    Duration.ofMillis(300)));

            assertThat(adapter.send(email("k1", RECIPIENT))).isEqualTo(new RetryLater("timeout", null));
        }
    }

    @Test
    void withoutAHostOrASenderTheChannelIsOff() {
        ChannelSettings noHost = new ChannelSettings(null,
                new ChannelSettings.Email(null, 0, null, null, null, null, "noreply@clinic.test"), null, null);
        ChannelSettings noSender = new ChannelSettings(null,
                new ChannelSettings.Email("127.0.0.1", 0, null, null, null, null, ""), null, null);

        assertThat(new SmtpEmailAdapter(noHost).configured()).isFalse();
        assertThat(new SmtpEmailAdapter(noSender).configured()).isFalse();
        assertThat(new SmtpEmailAdapter(noHost).send(email("k1", RECIPIENT)))
                .isEqualTo(new Rejected("e-mail channel not configured"));
    }

    private static SmtpEmailAdapter adapter(int port, String username, String password) {
        return new SmtpEmailAdapter(settings(port, username, password, Duration.ofSeconds(5)));
    }

    private static ChannelSettings settings(int port, String username, String password, Duration timeout) {
        return new ChannelSettings(null, new ChannelSettings.Email("127.0.0.1", port, username, password, false,
                timeout, "Cabinet Müller <noreply@clinic.test>"), null, null);
    }

    private static OutboundMessage email(String key, String recipient) {
        return new OutboundMessage(key, Channel.EMAIL, recipient, "Rappel : votre rendez-vous à 9h30", BODY);
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
