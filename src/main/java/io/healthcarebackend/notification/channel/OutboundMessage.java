package io.healthcarebackend.notification.channel;

import java.util.Objects;

/**
 * One message to send over one channel.
 *
 * @param idempotencyKey the same for every attempt at the same message, so a provider (or an
 *     e-mail receiver) can recognise a resend; stable, short, ASCII
 * @param recipient e-mail address, E.164 phone number or device token, by channel
 * @param subject e-mail subject and push title; ignored by SMS; may be null
 * @param body the text, plain
 */
public record OutboundMessage(String idempotencyKey, Channel channel, String recipient, String subject,
        String body) {

    public OutboundMessage {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(body, "body");
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
    }

    /** Recipient, subject and body are PHI: a logged message shows only what identifies the attempt. */
    @Override
    public String toString() {
        return "OutboundMessage[idempotencyKey=" + idempotencyKey + ", channel=" + channel + "]";
    }
}
