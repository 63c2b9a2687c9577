package io.healthcarebackend.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a message may go out, given the clinic's quiet hours in its own time zone. A confirmation
 * that falls in quiet hours waits for their end; a reminder moves earlier, to the last minute
 * before they begin, so it still arrives well before the appointment. A reminder whose time has
 * passed (booked at short notice), or that could only go out after the appointment began, is not
 * sent at all.
 */
final class DueTimes {

    private DueTimes() {
    }

    static Instant confirmation(Instant now, NotificationSettings settings, ZoneId zone) {
        return settings.quiet(now.atZone(zone).toLocalTime()) ? quietEnd(now, settings, zone) : now;
    }

    static Optional<Instant> reminder(Instant start, int offsetMinutes, Instant now, NotificationSettings settings,
            ZoneId zone) {
        Instant due = start.minus(Duration.ofMinutes(offsetMinutes));
        if (settings.quiet(due.atZone(zone).toLocalTime())) {
            due = quietStartBefore(due, settings, zone);
        }
        if (due.isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(due);
    }

    /** The first instant after {@code t} (in quiet hours) at which the quiet hours end. */
    private static Instant quietEnd(Instant t, NotificationSettings settings, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        ZonedDateTime end = local.with(settings.quietEnd());
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.withZoneSameLocal(zone).toInstant();
    }

    /** The last minute before the quiet hours that contain {@code t}. */
    private static Instant quietStartBefore(Instant t, NotificationSettings settings, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        ZonedDateTime start = local.with(settings.quietStart());
        if (start.isAfter(local)) {
            start = start.minusDays(1);
        }
        return start.minusMinutes(1).toInstant();
    }
}
