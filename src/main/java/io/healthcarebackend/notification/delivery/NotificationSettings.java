package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.notification.channel.Channel;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * A clinic's notification policy: whether bookings are confirmed, how many minutes before the
 * appointment reminders go out, its quiet hours (clinic time zone; start after end spans
 * midnight), the channels it uses, and its own templates per {@code KIND.CHANNEL}.
 */
record NotificationSettings(boolean confirmations, List<Integer> reminderOffsets, LocalTime quietStart,
        LocalTime quietEnd, List<Channel> channels, Map<String, Template> templates) {

    static final NotificationSettings DEFAULTS = new NotificationSettings(true, List.of(1440, 120), null, null,
            List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH), Map.of());

    NotificationSettings {
        reminderOffsets = List.copyOf(reminderOffsets);
        channels = List.copyOf(channels);
        templates = Map.copyOf(templates);
    }

    boolean hasQuietHours() {
        return quietStart != null && quietEnd != null && !quietStart.equals(quietEnd);
    }

    /** Whether a local time of day falls in the quiet hours. */
    boolean quiet(LocalTime time) {
        if (!hasQuietHours()) {
            return false;
        }
        return quietStart.isBefore(quietEnd)
                ? !time.isBefore(quietStart) && time.isBefore(quietEnd)
                : !time.isBefore(quietStart) || time.isBefore(quietEnd);
    }

    record Template(String subject, String body) {
    }
}
