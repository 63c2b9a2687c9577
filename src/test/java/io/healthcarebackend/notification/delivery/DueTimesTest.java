package io.healthcarebackend.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.notification.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DueTimesTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final NotificationSettings QUIET = new NotificationSettings(true, List.of(1440, 120),
            LocalTime.of(21, 0), LocalTime.of(8, 0), List.of(Channel.SMS), Map.of());

    private static Instant at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 12, day, hour, minute, 0, 0, ZONE).toInstant();
    }

    @Test
    void outsideQuietHoursAReminderIsDueItsOffsetBeforeTheStart() {
        assertThat(DueTimes.reminder(at(10, 14, 0), 120, at(1, 9, 0), QUIET, ZONE)).contains(at(10, 12, 0));
        assertThat(DueTimes.reminder(at(10, 14, 0), 1440, at(1, 9, 0), QUIET, ZONE)).contains(at(9, 14, 0));
    }

    @Test
    void aReminderFallingInQuietHoursMovesToTheLastMinuteBeforeThem() {
        // 09:00 - 2 h = 07:00, inside 21:00–08:00: sent at 20:59 the evening before.
        assertThat(DueTimes.reminder(at(10, 9, 0), 120, at(1, 9, 0), QUIET, ZONE)).contains(at(9, 20, 59));
        // 23:30 the same evening: 20:59 that evening.
        assertThat(DueTimes.reminder(at(11, 1, 30), 120, at(1, 9, 0), QUIET, ZONE)).contains(at(10, 20, 59));
    }

    @Test
    void aReminderWhoseTimeHasPassedIsNotPlanned() {
        assertThat(DueTimes.reminder(at(10, 14, 0), 1440, at(10, 9, 0), QUIET, ZONE)).isEmpty();
    }

    @Test
    void aConfirmationDuringQuietHoursWaitsForTheirEnd() {
        assertThat(DueTimes.confirmation(at(10, 23, 15), QUIET, ZONE)).isEqualTo(at(11, 8, 0));
        assertThat(DueTimes.confirmation(at(10, 6, 0), QUIET, ZONE)).isEqualTo(at(10, 8, 0));
        assertThat(DueTimes.confirmation(at(10, 12, 0), QUIET, ZONE)).isEqualTo(at(10, 12, 0));
    }

    @Test
    void quietHoursWithinOneDayAndNoneAtAll() {
        NotificationSettings lunch = new NotificationSettings(true, List.of(60), LocalTime.of(12, 0),
                LocalTime.of(13, 0), List.of(Channel.SMS), Map.of());
        assertThat(DueTimes.reminder(at(10, 13, 30), 60, at(1, 9, 0), lunch, ZONE)).contains(at(10, 11, 59));
        assertThat(DueTimes.reminder(at(10, 3, 0), 60, at(1, 9, 0), NotificationSettings.DEFAULTS, ZONE))
                .contains(at(10, 2, 0));
    }

    @Test
    void timesFollowTheClinicsZoneAcrossDaylightSavingChanges() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-11-01: clocks go back at 02:00. 24 h before 10:00 on Nov 1 is 11:00 on Oct 31 local time.
        Instant start = ZonedDateTime.of(2026, 11, 1, 10, 0, 0, 0, newYork).toInstant();
        assertThat(DueTimes.reminder(start, 1440, start.minus(Duration.ofDays(5)), NotificationSettings.DEFAULTS,
                newYork)).contains(ZonedDateTime.of(2026, 10, 31, 11, 0, 0, 0, newYork).toInstant());
    }
}
