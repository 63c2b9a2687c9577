/**
 * Channel adapters: each sends one message over one channel (e-mail over SMTP, SMS through a
 * Twilio-shaped HTTP API, push through a Firebase Cloud Messaging HTTP v1-shaped API) and says
 * what became of it as a {@link io.healthcarebackend.notification.channel.SendResult}: sent,
 * worth retrying later, or rejected for good. They never throw for provider or network trouble
 * and never put a recipient, a message text or a provider's answer text (which may echo either)
 * into a reason. Retries, scheduling and the record of deliveries belong to the caller.
 */
package io.healthcarebackend.notification.channel;
