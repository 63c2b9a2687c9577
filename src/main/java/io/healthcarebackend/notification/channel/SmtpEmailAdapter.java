package io.healthcarebackend.notification.channel;

import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.Sent;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * E-mail over SMTP through Spring's {@link JavaMailSenderImpl}: plain text, UTF-8, from
 * {@code NOTIFY_EMAIL_FROM}. The idempotency key becomes the {@code Message-ID}
 * ({@code <key@healthcare-backend>}) and an {@code X-Idempotency-Key} header, so a relay or a
 * mailbox that de-duplicates by Message-ID drops a resend; the Message-ID is the provider id.
 *
 * <p>The sender is built here rather than taken from Spring Boot's mail auto-configuration (which
 * stays off: {@code spring.mail.host} is never set) so that all channel settings live in one place,
 * and so that Actuator adds no mail health check: an SMTP relay being down must not take the
 * service out of its load balancer, it only delays e-mails.
 *
 * <p>Each send opens its own SMTP connection, bounded by {@code SMTP_TIMEOUT} for connecting,
 * reading and writing. With {@code SMTP_STARTTLS} (the default) STARTTLS is required and the
 * server's certificate must name the host.
 */
@Component
class SmtpEmailAdapter implements ChannelAdapter {

    static final String MESSAGE_ID_DOMAIN = "healthcare-backend";

    private final ChannelSettings.Email settings;
    private final JavaMailSenderImpl sender;
    private final InternetAddress from;

    SmtpEmailAdapter(ChannelSettings settings) {
        this.settings = settings.email();
        this.sender = this.settings.complete() ? sender(this.settings) : null;
        this.from = this.settings.complete() ? fromAddress(this.settings.from()) : null;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public boolean configured() {
        return settings.complete();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (message.channel() != Channel.EMAIL) {
            throw new IllegalArgumentException("not an e-mail: " + message);
        }
        if (!configured()) {
            return new Rejected("e-mail channel not configured");
        }
        InternetAddress to;
        try {
            to = address(message.recipient());
        } catch (AddressException e) {
            return new Rejected("invalid e-mail address");
        }
        String messageId = messageId(message.idempotencyKey());
        try {
            sender.send(mime(message, to, messageId));
            return new Sent(messageId);
        } catch (MailException | MessagingException e) {
            return SmtpFailures.classify(e);
        }
    }

    private MimeMessage mime(OutboundMessage message, InternetAddress to, String messageId) throws MessagingException {
        MimeMessage mime = sender.createMimeMessage();
        mime.setFrom(from);
        mime.setRecipient(MimeMessage.RecipientType.TO, to);
        if (message.subject() != null) {
            mime.setSubject(oneLine(message.subject()), StandardCharsets.UTF_8.name());
        }
        mime.setText(message.body(), StandardCharsets.UTF_8.name());
        mime.setSentDate(new Date());
        // JavaMailSenderImpl keeps a Message-ID that is already set when it saves the message.
        mime.setHeader("Message-ID", messageId);
        mime.setHeader("X-Idempotency-Key", IdempotencyKeys.atext(message.idempotencyKey()));
        return mime;
    }

    /** {@code <key@healthcare-backend>}, the key made safe for the id's left part (RFC 5322 3.6.4). */
    static String messageId(String idempotencyKey) {
        return "<" + IdempotencyKeys.atext(idempotencyKey) + "@" + MESSAGE_ID_DOMAIN + ">";
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static InternetAddress fromAddress(String address) {
        try {
            return address(address);
        } catch (AddressException e) {
            throw new IllegalArgumentException("NOTIFY_EMAIL_FROM is not a valid e-mail address");
        }
    }

    /**
     * One address, strictly parsed (a list, a bare name or a line break is refused), rebuilt from its
     * parts so that a display name with accents is RFC 2047-encoded in the header.
     */
    private static InternetAddress address(String text) throws AddressException {
        InternetAddress parsed = new InternetAddress(text, true);
        try {
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static JavaMailSenderImpl sender(ChannelSettings.Email settings) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(settings.host());
        sender.setPort(settings.port());
        sender.setUsername(settings.username());
        sender.setPassword(settings.password());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        String timeout = Long.toString(settings.timeout().toMillis());
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.connectiontimeout", timeout);
        properties.setProperty("mail.smtp.timeout", timeout);
        properties.setProperty("mail.smtp.writetimeout", timeout);
        properties.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
        if (settings.starttls()) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        sender.setJavaMailProperties(properties);
        return sender;
    }
}
