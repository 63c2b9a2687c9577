package io.healthcarebackend.notification.channel;

/** Sends one message over one channel through one provider. */
public interface ChannelAdapter {

    Channel channel();

    /** Whether the operator set this adapter up; an adapter that is not configured sends nothing. */
    boolean configured();

    /**
     * Sends the message (its channel must be this adapter's). Never throws for provider or network
     * trouble: it is classified into the result. Blocks for at most about the configured timeout.
     */
    SendResult send(OutboundMessage message);
}
