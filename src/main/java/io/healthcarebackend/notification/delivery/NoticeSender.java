package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.channel.ChannelAdapter;
import io.healthcarebackend.notification.channel.ChannelAdapters;
import io.healthcarebackend.notification.channel.OutboundMessage;
import io.healthcarebackend.notification.channel.SendResult;
import io.healthcarebackend.notification.delivery.Delivery.Status;
import io.healthcarebackend.notification.delivery.NotificationSettings.Template;
import io.healthcarebackend.patient.PatientContacts;
import io.healthcarebackend.patient.PatientContacts.Contact;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.db.TenantTx;
import io.healthcarebackend.platform.jobs.RetryLater;
import io.healthcarebackend.scheduling.AppointmentLookup;
import io.healthcarebackend.scheduling.AppointmentLookup.Summary;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Sends one notice, exactly once in effect. Each (message, channel) has a delivery record whose
 * idempotency key is derived from the message's identity, created before the provider is called
 * and sent with the call: a worker that dies mid-send leaves the record {@code SENDING}, and the
 * next attempt resends under the same key, which the provider (or the receiving mail system, by
 * Message-ID) de-duplicates; a record already {@code SENT} is never sent again. The provider is
 * called outside any transaction. Transient failures make the job retry (back-off, dead letter);
 * channels already sent are not repeated.
 */
@Component
class NoticeSender {

    static final String NO_ADDRESS = "no address for any enabled channel";
    static final String NO_CHANNEL = "no enabled channel is configured";

    private final AppointmentLookup appointments;
    private final PatientContacts contacts;
    private final SettingsRepository settings;
    private final Clinics clinics;
    private final ChannelAdapters adapters;
    private final DeliveryRepository deliveries;
    private final DeliveryMetrics metrics;
    private final TenantTx tx;
    private final Clock clock;

    NoticeSender(AppointmentLookup appointments, PatientContacts contacts, SettingsRepository settings,
            Clinics clinics, ChannelAdapters adapters, DeliveryRepository deliveries, DeliveryMetrics metrics,
            TenantTx tx, Clock clock) {
        this.appointments = appointments;
        this.contacts = contacts;
        this.settings = settings;
        this.clinics = clinics;
        this.adapters = adapters;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.tx = tx;
        this.clock = clock;
    }

    private record Attempt(ChannelAdapter adapter, OutboundMessage message) {
    }

    void send(Notice notice) {
        ClinicId clinic = notice.clinic();
        List<Attempt> attempts = tx.inClinic(clinic, () -> prepare(notice));
        Duration retryAfter = null;
        String retryReason = null;
        for (Attempt attempt : attempts) {
            OutboundMessage message = attempt.message();
            SendResult result = attempt.adapter().send(message);
            UUID key = UUID.fromString(message.idempotencyKey());
            switch (result) {
                case SendResult.Sent sent -> {
                    tx.inClinic(clinic, () -> {
                        deliveries.sent(clinic, key, sent.providerId(), clock.instant());
                        return null;
                    });
                    metrics.sent(notice, message.channel(), clock.instant());
                }
                case SendResult.RetryLater later -> {
                    record(clinic, key, Status.RETRYING, later.reason());
                    metrics.outcome(notice, message.channel(), "retry");
                    retryReason = later.reason();
                    Duration wait = later.retryAfter() == null ? Duration.ZERO : later.retryAfter();
                    retryAfter = retryAfter == null || wait.compareTo(retryAfter) > 0 ? wait : retryAfter;
                }
                case SendResult.Rejected rejected -> {
                    record(clinic, key, Status.REJECTED, rejected.reason());
                    metrics.outcome(notice, message.channel(), "rejected");
                }
            }
        }
        if (retryAfter != null) {
            throw new RetryLater(retryReason, retryAfter);
        }
    }

    /** In the clinic's transaction: checks the notice still holds and opens a record per channel. */
    private List<Attempt> prepare(Notice notice) {
        ClinicId clinic = notice.clinic();
        Optional<Summary> appointment = appointments.find(clinic, notice.appointmentId());
        if (appointment.isEmpty() || !appointment.get().booked() || !appointment.get().start().equals(notice.start())) {
            metrics.obsolete(notice);
            return List.of();
        }
        UUID patient = appointment.get().patientId();
        NotificationSettings s = settings.of(clinic);
        List<ChannelAdapter> usable = s.channels().stream().map(adapters::configured).flatMap(Optional::stream)
                .toList();
        if (usable.isEmpty()) {
            // Nothing could carry it: the patient's record is not even decrypted.
            return skipped(notice, patient, NO_CHANNEL);
        }
        Contact contact = contacts.contactOf(clinic, patient).orElse(new Contact(null, null, null));
        List<Attempt> attempts = new ArrayList<>();
        String clinicName = clinics.find(clinic).map(c -> c.name()).orElse("");
        boolean reachable = false;
        for (ChannelAdapter adapter : usable) {
            Channel channel = adapter.channel();
            String address = address(contact, channel);
            if (address == null || address.isBlank()) {
                continue;
            }
            reachable = true;
            UUID key = key(notice, channel.name());
            Delivery before = deliveries.begin(clinic, notice, patient, channel, key, clock.instant());
            if (!before.status().done()) {
                attempts.add(new Attempt(adapter, message(notice, s, clinicName, channel, key, address)));
            }
        }
        return reachable ? attempts : skipped(notice, patient, NO_ADDRESS);
    }

    private OutboundMessage message(Notice notice, NotificationSettings s, String clinicName, Channel channel, UUID key,
            String address) {
        Template text = Templates.render(Templates.of(s, notice.kind(), channel), clinicName, notice.start(),
                clinics.timeZone(notice.clinic()));
        return new OutboundMessage(key.toString(), channel, address, text.subject(), text.body());
    }

    private List<Attempt> skipped(Notice notice, UUID patient, String reason) {
        deliveries.skipped(notice.clinic(), notice, patient, key(notice, "NONE"), reason, clock.instant());
        metrics.outcome(notice, null, "skipped");
        return List.of();
    }

    private void record(ClinicId clinic, UUID key, Status status, String reason) {
        tx.inClinic(clinic, () -> {
            deliveries.failed(clinic, key, status, reason, clock.instant());
            return null;
        });
    }

    private static String address(Contact contact, Channel channel) {
        return switch (channel) {
            case EMAIL -> contact.email();
            case SMS -> contact.phone();
            case PUSH -> contact.pushToken();
        };
    }

    /** Derived from the message's identity, so every attempt of it carries the same key. */
    static UUID key(Notice notice, String channel) {
        return UUID.nameUUIDFromBytes((notice.kind().task + "/" + notice.instanceId() + "/" + channel)
                .getBytes(StandardCharsets.UTF_8));
    }
}
