package io.healthcarebackend.notification.channel;

import java.time.Duration;

/**
 * What became of one send. Every {@code reason} is a short text for operators (for example
 * {@code HTTP 503}, {@code timeout}, {@code HTTP 400 code 21211}, {@code SMTP 550}) and never holds
 * PHI: no recipient, no message text, no provider answer text.
 */
public sealed interface SendResult {

    /**
     * The provider accepted the message.
     *
     * @param providerId the provider's id of it (Twilio {@code sid}, FCM {@code name}, the e-mail's
     *     {@code Message-ID}); null only when a provider accepted it without naming one
     */
    record Sent(String providerId) implements SendResult {
    }

    /**
     * Not sent now but may be later (provider overloaded or down, timeout, network failure). After a
     * timeout the provider may in fact have taken the message: the resend carries the same
     * idempotency key.
     *
     * @param retryAfter how long the provider asked to wait ({@code Retry-After}); null if it gave none
     */
    record RetryLater(String reason, Duration retryAfter) implements SendResult {
    }

    /** Will never be sent as it is: invalid recipient, refused by the provider, or a misconfigured channel. */
    record Rejected(String reason) implements SendResult {
    }
}
