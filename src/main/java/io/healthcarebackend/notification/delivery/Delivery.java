package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.notification.channel.Channel;
import java.time.Instant;
import java.util.UUID;

/** A delivery record: one message over one channel (channel null: the message could not be sent at all). */
record Delivery(UUID id, UUID appointmentId, UUID patientId, Kind kind, Channel channel, Status status, int attempts,
        String providerId, String lastError, UUID idempotencyKey, Instant dueAt, Instant createdAt, Instant sentAt) {

    enum Status {
        /** An attempt is (or was, when a worker died) in flight: the next attempt resends under the same key. */
        SENDING,
        SENT,
        /** The last attempt failed for a reason that may pass; the job retries. */
        RETRYING,
        /** The provider refused it for good (invalid address, unregistered device). */
        REJECTED,
        /** Not sent: no address for any enabled channel, or no channel configured. */
        SKIPPED;

        boolean done() {
            return this == SENT || this == REJECTED || this == SKIPPED;
        }
    }
}
