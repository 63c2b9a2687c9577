package io.healthcarebackend.practitioner;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.practitioner.WeeklySchedule.Absence;
import io.healthcarebackend.practitioner.WeeklySchedule.Hours;
import io.healthcarebackend.practitioner.WeeklySchedule.Slot;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weekly hours are wall-clock times in the clinic's zone: across a daylight-saving change the first
 * slot stays at 09:00 local while its UTC instant moves by an hour, and on the night of the change
 * slots are real 30-minute intervals that neither overlap nor fall into the skipped hour.
 */
class WeeklyScheduleTest {

    private static final Duration HALF_HOUR = Duration.ofMinutes(30);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DayOfWeek[] WEEKDAYS = {MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY};
    /** A Monday far from any daylight-saving change in both zones. */
    private static final LocalDate QUIET_MONDAY = LocalDate.of(2027, 6, 7);

    // ---------------------------------------------------------------- daylight saving

    @ParameterizedTest(name = "{0} on {1}: {2} -> {3}")
    @CsvSource({
            "Europe/Berlin,    2027-03-28, +01:00, +02:00",
            "Europe/Berlin,    2027-10-31, +02:00, +01:00",
            "America/New_York, 2027-03-14, -05:00, -04:00",
            "America/New_York, 2027-11-07, -04:00, -05:00"})
    void aNineToFiveDayStartsAtNineLocalOnEitherSideOfAChange(ZoneId zone, LocalDate change, ZoneOffset before,
            ZoneOffset after) {
        assertIsTransition(zone, change, before, after);
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", DayOfWeek.values()));
        LocalDate first = change.minusDays(3);
        LocalDate last = change.plusDays(3);

        List<Slot> slots = schedule.slots(first.atStartOfDay(zone).toInstant(),
                last.plusDays(1).atStartOfDay(zone).toInstant(), zone);

        assertThat(slots).hasSize(7 * 16);
        assertWellFormed(slots);
        Map<LocalDate, List<Slot>> byDay = byLocalDate(slots, zone);
        assertThat(byDay.keySet()).containsExactlyElementsOf(first.datesUntil(last.plusDays(1)).toList());
        List<LocalTime> expectedTimes = times("09:00", 16);
        byDay.forEach((date, daySlots) -> {
            ZoneOffset offset = date.isBefore(change) ? before : after;
            assertThat(daySlots).as("slots of %s", date).hasSize(16);
            assertThat(daySlots.getFirst().start()).as("first slot of %s", date)
                    .isEqualTo(date.atTime(9, 0).toInstant(offset));
            assertThat(daySlots.getLast().end()).as("end of %s", date).isEqualTo(date.atTime(17, 0).toInstant(offset));
            assertThat(daySlots.stream().map(s -> s.start().atZone(zone).toLocalTime()).toList()).as("%s", date)
                    .containsExactlyElementsOf(expectedTimes);
        });
        LocalTime utcBefore = byDay.get(change.minusDays(1)).getFirst().start().atOffset(ZoneOffset.UTC).toLocalTime();
        LocalTime utcAfter = byDay.get(change.plusDays(1)).getFirst().start().atOffset(ZoneOffset.UTC).toLocalTime();
        assertThat(Duration.between(utcAfter, utcBefore).abs()).isEqualTo(Duration.ofHours(1));
        assertThat(utcAfter).isEqualTo(utcBefore.minusSeconds(after.getTotalSeconds() - before.getTotalSeconds()));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
            // Spring forward: local 00:00-04:00 lasts three real hours, 02:00-03:00 does not exist.
            "Europe/Berlin,    2027-03-28, 2027-03-27T23:00:00Z, 6",
            "America/New_York, 2027-03-14, 2027-03-14T05:00:00Z, 6",
            // Fall back: local 00:00-04:00 lasts five real hours, 02:00-03:00 (Berlin) / 01:00-02:00 (New York) twice.
            "Europe/Berlin,    2027-10-31, 2027-10-30T22:00:00Z, 10",
            "America/New_York, 2027-11-07, 2027-11-07T04:00:00Z, 10"})
    void hoursAcrossTheNightOfAChangeYieldRealNonOverlappingHalfHours(ZoneId zone, LocalDate change,
            Instant firstStart, int count) {
        WeeklySchedule schedule = schedule(30, hours("00:00", "04:00", change.getDayOfWeek()));

        List<Slot> slots = schedule.slots(change.atStartOfDay(zone).toInstant(),
                change.plusDays(1).atStartOfDay(zone).toInstant(), zone);

        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(firstStart.plus(HALF_HOUR.multipliedBy(i)));
        }
        assertThat(slots.stream().map(Slot::start).toList()).containsExactlyElementsOf(expected);
        assertWellFormed(slots);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).as("slots are back to back").isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots.getLast().end()).isEqualTo(ZonedDateTime.of(change, LocalTime.of(4, 0), zone).toInstant());
        assertThat(Duration.between(slots.getFirst().start(), slots.getLast().end()))
                .as("real length of local 00:00-04:00").isEqualTo(HALF_HOUR.multipliedBy(count));
    }

    @Test
    void aSpringForwardDayListsNoSlotInTheSkippedHour() {
        LocalDate change = LocalDate.of(2027, 3, 28);
        WeeklySchedule schedule = schedule(30, hours("00:00", "04:00", SUNDAY));

        List<LocalTime> local = schedule.slots(change.atStartOfDay(BERLIN).toInstant(),
                change.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN).stream()
                .map(s -> s.start().atZone(BERLIN).toLocalTime()).toList();

        assertThat(local).containsExactly(LocalTime.of(0, 0), LocalTime.of(0, 30), LocalTime.of(1, 0),
                LocalTime.of(1, 30), LocalTime.of(3, 0), LocalTime.of(3, 30));
    }

    @Test
    void aFallBackDayListsTheRepeatedHourTwiceWithDifferentOffsets() {
        LocalDate change = LocalDate.of(2027, 10, 31);
        WeeklySchedule schedule = schedule(30, hours("00:00", "04:00", SUNDAY));

        List<ZonedDateTime> local = schedule.slots(change.atStartOfDay(BERLIN).toInstant(),
                change.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN).stream()
                .map(s -> s.start().atZone(BERLIN)).toList();

        List<String> shown = local.stream().map(z -> z.toLocalTime() + z.getOffset().getId()).toList();
        assertThat(shown).containsExactly("00:00+02:00", "00:30+02:00", "01:00+02:00", "01:30+02:00",
                "02:00+02:00", "02:30+02:00", "02:00+01:00", "02:30+01:00", "03:00+01:00", "03:30+01:00");
    }

    @Test
    void hoursEndingInsideTheSkippedHourEndWhenTheClockPassesTheirEnd() {
        // Berlin, 2027-03-28: the clock jumps from 02:00 CET to 03:00 CEST, so it never shows 02:30. Hours
        // 00:00-02:30 end when the clock passes 02:30, i.e. at the jump (03:00 CEST = 01:00Z): two real hours.
        LocalDate change = LocalDate.of(2027, 3, 28);
        WeeklySchedule schedule = schedule(30, hours("00:00", "02:30", SUNDAY));

        List<LocalTime> local = schedule.slots(change.atStartOfDay(BERLIN).toInstant(),
                change.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN).stream()
                .map(s -> s.start().atZone(BERLIN).toLocalTime()).toList();

        assertThat(local).as("the end 02:30 does not exist that night: the hours end at the jump, "
                + "so no slot 03:00-03:30 local (after the hours) may be offered").containsExactly(LocalTime.of(0, 0), LocalTime.of(0, 30), LocalTime.of(1, 0),
                LocalTime.of(1, 30));
        assertThat(schedule.allows(utc("2027-03-28T01:00:00Z"), utc("2027-03-28T01:30:00Z"), BERLIN))
                .as("03:00-03:30 CEST lies after the 02:30 end of the hours").isFalse();
    }

    @Test
    void hoursStartingInsideTheSkippedHourStartWhenTheClockPassesTheirStart() {
        // Hours 02:30-05:00 on the same night begin when the clock passes 02:30: at the jump, 03:00 CEST.
        LocalDate change = LocalDate.of(2027, 3, 28);
        WeeklySchedule schedule = schedule(30, hours("02:30", "05:00", SUNDAY));

        List<LocalTime> local = schedule.slots(change.atStartOfDay(BERLIN).toInstant(),
                change.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN).stream()
                .map(s -> s.start().atZone(BERLIN).toLocalTime()).toList();

        assertThat(local).as("the start 02:30 does not exist that night: the hours begin at the jump (03:00 CEST), "
                + "so the 03:00-03:30 slot is inside them")
                .containsExactly(LocalTime.of(3, 0), LocalTime.of(3, 30), LocalTime.of(4, 0), LocalTime.of(4, 30));
    }

    @Test
    void allowsUsesTheOffsetInForceOnTheDayOfAChange() {
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", DayOfWeek.values()));

        // 2027-03-28, Berlin on CEST (+02:00): 09:00 local is 07:00Z.
        assertThat(schedule.allows(utc("2027-03-28T07:00:00Z"), utc("2027-03-28T07:30:00Z"), BERLIN)).isTrue();
        assertThat(schedule.allows(utc("2027-03-28T06:30:00Z"), utc("2027-03-28T07:00:00Z"), BERLIN)).isFalse();
        assertThat(schedule.allows(utc("2027-03-28T14:30:00Z"), utc("2027-03-28T15:00:00Z"), BERLIN)).isTrue();
        assertThat(schedule.allows(utc("2027-03-28T15:00:00Z"), utc("2027-03-28T15:30:00Z"), BERLIN)).isFalse();
        // The day before, still CET (+01:00): 09:00 local is 08:00Z.
        assertThat(schedule.allows(utc("2027-03-27T07:00:00Z"), utc("2027-03-27T07:30:00Z"), BERLIN)).isFalse();
        assertThat(schedule.allows(utc("2027-03-27T08:00:00Z"), utc("2027-03-27T08:30:00Z"), BERLIN)).isTrue();
        // 2027-10-31, back on CET: 09:00 local is 08:00Z.
        assertThat(schedule.allows(utc("2027-10-31T08:00:00Z"), utc("2027-10-31T08:30:00Z"), BERLIN)).isTrue();
        assertThat(schedule.allows(utc("2027-10-31T07:30:00Z"), utc("2027-10-31T08:00:00Z"), BERLIN)).isFalse();
        // New York, 2027-11-07, back on EST (-05:00): 16:30-17:00 local is 21:30Z-22:00Z.
        assertThat(schedule.allows(utc("2027-11-07T21:30:00Z"), utc("2027-11-07T22:00:00Z"), NEW_YORK)).isTrue();
        assertThat(schedule.allows(utc("2027-11-07T22:00:00Z"), utc("2027-11-07T22:30:00Z"), NEW_YORK)).isFalse();
    }

    @Test
    void allowsAcrossTheNightOfAChangeMeasuresRealTime() {
        WeeklySchedule schedule = schedule(30, hours("00:00", "04:00", SUNDAY));

        // New York 2027-03-14: 01:30 EST (06:30Z) to 03:00 EDT (07:00Z) is half an hour inside the hours.
        assertThat(schedule.allows(utc("2027-03-14T06:30:00Z"), utc("2027-03-14T07:00:00Z"), NEW_YORK)).isTrue();
        assertThat(schedule.allows(utc("2027-03-14T07:30:00Z"), utc("2027-03-14T08:00:00Z"), NEW_YORK)).isTrue();
        assertThat(schedule.allows(utc("2027-03-14T08:00:00Z"), utc("2027-03-14T08:30:00Z"), NEW_YORK)).isFalse();
        // New York 2027-11-07: the second 01:00-01:30 (EST, 06:00Z) is still inside the hours.
        assertThat(schedule.allows(utc("2027-11-07T06:00:00Z"), utc("2027-11-07T06:30:00Z"), NEW_YORK)).isTrue();
        assertThat(schedule.allows(utc("2027-11-07T08:30:00Z"), utc("2027-11-07T09:00:00Z"), NEW_YORK)).isTrue();
        assertThat(schedule.allows(utc("2027-11-07T09:00:00Z"), utc("2027-11-07T09:30:00Z"), NEW_YORK)).isFalse();
    }

    // ---------------------------------------------------------------- allows()

    @Test
    void allowsTimesInsideWorkingHours() {
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", WEEKDAYS));

        assertThat(schedule.allows(at(QUIET_MONDAY, "10:00"), at(QUIET_MONDAY, "10:30"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "09:00"), at(QUIET_MONDAY, "09:30"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "16:30"), at(QUIET_MONDAY, "17:00"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "09:00"), at(QUIET_MONDAY, "17:00"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "10:10"), at(QUIET_MONDAY, "10:25"), BERLIN)).isTrue();
    }

    @Test
    void refusesTimesOutsideWorkingHours() {
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", WEEKDAYS));
        LocalDate saturday = QUIET_MONDAY.plusDays(5);

        assertThat(schedule.allows(at(QUIET_MONDAY, "08:30"), at(QUIET_MONDAY, "09:00"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "08:45"), at(QUIET_MONDAY, "09:15"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "16:45"), at(QUIET_MONDAY, "17:15"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "17:00"), at(QUIET_MONDAY, "17:30"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "08:00"), at(QUIET_MONDAY, "18:00"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(saturday, "10:00"), at(saturday, "10:30"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "16:30"), at(QUIET_MONDAY.plusDays(1), "09:30"), BERLIN))
                .as("spanning the night").isFalse();
        // The same instants read in another zone are outside the hours.
        assertThat(schedule.allows(at(QUIET_MONDAY, "10:00"), at(QUIET_MONDAY, "10:30"), NEW_YORK)).isFalse();
    }

    @Test
    void refusesTimesInAGapBetweenTwoIntervalsOfOneDay() {
        WeeklySchedule schedule = schedule(30, List.of(new Hours(MONDAY, LocalTime.of(9, 0), LocalTime.of(12, 0)),
                new Hours(MONDAY, LocalTime.of(13, 0), LocalTime.of(17, 0))));

        assertThat(schedule.allows(at(QUIET_MONDAY, "11:30"), at(QUIET_MONDAY, "12:00"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "13:00"), at(QUIET_MONDAY, "13:30"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "12:30"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "11:45"), at(QUIET_MONDAY, "13:15"), BERLIN)).isFalse();
    }

    @Test
    void refusesTimesDuringAnAbsence() {
        Absence lunchTraining = new Absence(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "13:00"), "Training");
        WeeklySchedule schedule = new WeeklySchedule(30, hours("09:00", "17:00", WEEKDAYS), List.of(lunchTraining));

        assertThat(schedule.allows(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "12:30"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "12:30"), at(QUIET_MONDAY, "13:00"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "11:45"), at(QUIET_MONDAY, "12:15"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "12:45"), at(QUIET_MONDAY, "13:15"), BERLIN)).isFalse();
        assertThat(schedule.allows(at(QUIET_MONDAY, "11:00"), at(QUIET_MONDAY, "14:00"), BERLIN)).isFalse();
        // Touching the absence at either end is fine: [from, to) intervals.
        assertThat(schedule.allows(at(QUIET_MONDAY, "11:30"), at(QUIET_MONDAY, "12:00"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY, "13:00"), at(QUIET_MONDAY, "13:30"), BERLIN)).isTrue();
        assertThat(schedule.allows(at(QUIET_MONDAY.plusDays(1), "12:00"), at(QUIET_MONDAY.plusDays(1), "12:30"),
                BERLIN)).isTrue();
    }

    @Test
    void refusesEveryTimeOfAMultiDayLeave() {
        Absence leave = new Absence(QUIET_MONDAY.atStartOfDay(BERLIN).toInstant(),
                QUIET_MONDAY.plusDays(5).atStartOfDay(BERLIN).toInstant(), "Annual leave");
        WeeklySchedule schedule = new WeeklySchedule(30, hours("09:00", "17:00", WEEKDAYS), List.of(leave));

        for (int day = 0; day < 5; day++) {
            LocalDate date = QUIET_MONDAY.plusDays(day);
            assertThat(schedule.allows(at(date, "10:00"), at(date, "10:30"), BERLIN)).as("%s", date).isFalse();
        }
        assertThat(schedule.allows(at(QUIET_MONDAY.plusDays(7), "10:00"), at(QUIET_MONDAY.plusDays(7), "10:30"),
                BERLIN)).isTrue();
    }

    // ---------------------------------------------------------------- slots()

    @Test
    void aNormalWorkingDayHasSixteenHalfHourSlots() {
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", WEEKDAYS));

        List<Slot> slots = schedule.slots(QUIET_MONDAY.atStartOfDay(BERLIN).toInstant(),
                QUIET_MONDAY.plusDays(7).atStartOfDay(BERLIN).toInstant(), BERLIN);

        assertThat(slots).hasSize(5 * 16);
        assertWellFormed(slots);
        assertThat(byLocalDate(slots, BERLIN).keySet()).containsExactlyElementsOf(
                QUIET_MONDAY.datesUntil(QUIET_MONDAY.plusDays(5)).toList());
        assertThat(slots.getFirst().start()).isEqualTo(at(QUIET_MONDAY, "09:00"));
        assertThat(slots.getLast().end()).isEqualTo(at(QUIET_MONDAY.plusDays(4), "17:00"));
    }

    @Test
    void slotsLeaveOutAbsences() {
        Absence absence = new Absence(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "13:15"), "Training");
        WeeklySchedule schedule = new WeeklySchedule(30, hours("09:00", "17:00", WEEKDAYS), List.of(absence));

        List<Instant> starts = starts(schedule.slots(QUIET_MONDAY.atStartOfDay(BERLIN).toInstant(),
                QUIET_MONDAY.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN));

        assertThat(starts).hasSize(13)
                .doesNotContain(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "12:30"), at(QUIET_MONDAY, "13:00"))
                .contains(at(QUIET_MONDAY, "11:30"), at(QUIET_MONDAY, "13:30"));
    }

    @Test
    void slotsLieWithinTheRequestedWindow() {
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", WEEKDAYS));

        assertThat(starts(schedule.slots(at(QUIET_MONDAY, "10:15"), at(QUIET_MONDAY, "12:00"), BERLIN)))
                .containsExactly(at(QUIET_MONDAY, "10:30"), at(QUIET_MONDAY, "11:00"), at(QUIET_MONDAY, "11:30"));
        assertThat(starts(schedule.slots(at(QUIET_MONDAY, "10:00"), at(QUIET_MONDAY, "11:45"), BERLIN)))
                .containsExactly(at(QUIET_MONDAY, "10:00"), at(QUIET_MONDAY, "10:30"), at(QUIET_MONDAY, "11:00"));
        assertThat(starts(schedule.slots(at(QUIET_MONDAY, "09:00"), at(QUIET_MONDAY, "10:00"), BERLIN)))
                .as("to is exclusive").containsExactly(at(QUIET_MONDAY, "09:00"), at(QUIET_MONDAY, "09:30"));
        assertThat(schedule.slots(at(QUIET_MONDAY, "17:00"), at(QUIET_MONDAY.plusDays(1), "09:00"), BERLIN))
                .isEmpty();
        assertThat(schedule.slots(at(QUIET_MONDAY.plusDays(5), "00:00"), at(QUIET_MONDAY.plusDays(7), "00:00"),
                BERLIN)).as("a weekend").isEmpty();
    }

    @Test
    void slotsFollowTheClinicsLocalDaysNotUtcDays() {
        assertThat(QUIET_MONDAY.getDayOfWeek()).isEqualTo(MONDAY);
        WeeklySchedule schedule = schedule(30, hours("09:00", "17:00", WEEKDAYS));

        // Tokyo (+09:00): a UTC day is Monday 09:00 to Tuesday 09:00 local, so it holds Monday's working day.
        List<Slot> tokyo = schedule.slots(utc("2027-06-07T00:00:00Z"), utc("2027-06-08T00:00:00Z"),
                ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo).hasSize(16);
        assertThat(tokyo.getFirst().start()).isEqualTo(utc("2027-06-07T00:00:00Z"));
        assertThat(tokyo.getLast().end()).isEqualTo(utc("2027-06-07T08:00:00Z"));
        // New York (-04:00 in June): the UTC day of Tuesday is Monday 20:00 to Tuesday 20:00 local.
        List<Slot> newYork = schedule.slots(utc("2027-06-08T00:00:00Z"), utc("2027-06-09T00:00:00Z"), NEW_YORK);
        assertThat(newYork).hasSize(16);
        assertThat(newYork.getFirst().start()).isEqualTo(utc("2027-06-08T13:00:00Z"));
        assertThat(newYork.getLast().end()).isEqualTo(utc("2027-06-08T21:00:00Z"));
    }

    @Test
    void aSlotNeverRunsPastTheEndOfWorkingHours() {
        WeeklySchedule schedule = schedule(45, hours("09:00", "17:00", WEEKDAYS));

        List<Slot> slots = schedule.slots(QUIET_MONDAY.atStartOfDay(BERLIN).toInstant(),
                QUIET_MONDAY.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN);

        assertThat(slots).hasSize(10);
        assertThat(slots).allSatisfy(s -> assertThat(Duration.between(s.start(), s.end()))
                .isEqualTo(Duration.ofMinutes(45)));
        assertThat(slots.getLast().start()).isEqualTo(at(QUIET_MONDAY, "15:45"));
        assertThat(slots.getLast().end()).isEqualTo(at(QUIET_MONDAY, "16:30"));
    }

    @Test
    void slotsOfADayWithTwoIntervalsSkipTheBreakAndComeInOrder() {
        // Listed out of order on purpose: the result must still be sorted by start.
        WeeklySchedule schedule = schedule(30, List.of(new Hours(MONDAY, LocalTime.of(13, 0), LocalTime.of(17, 0)),
                new Hours(MONDAY, LocalTime.of(9, 0), LocalTime.of(12, 0))));

        List<Slot> slots = schedule.slots(QUIET_MONDAY.atStartOfDay(BERLIN).toInstant(),
                QUIET_MONDAY.plusDays(1).atStartOfDay(BERLIN).toInstant(), BERLIN);

        assertThat(slots).hasSize(6 + 8);
        assertWellFormed(slots);
        assertThat(starts(slots)).doesNotContain(at(QUIET_MONDAY, "12:00"), at(QUIET_MONDAY, "12:30"))
                .contains(at(QUIET_MONDAY, "11:30"), at(QUIET_MONDAY, "13:00"));
    }

    // ---------------------------------------------------------------- helpers

    private static WeeklySchedule schedule(int slotMinutes, List<Hours> hours) {
        return new WeeklySchedule(slotMinutes, hours, List.of());
    }

    private static List<Hours> hours(String start, String end, DayOfWeek... days) {
        return Arrays.stream(days).map(d -> new Hours(d, LocalTime.parse(start), LocalTime.parse(end))).toList();
    }

    /** Berlin wall-clock time on a date. */
    private static Instant at(LocalDate date, String time) {
        return ZonedDateTime.of(date, LocalTime.parse(time), BERLIN).toInstant();
    }

    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    private static List<Instant> starts(List<Slot> slots) {
        return slots.stream().map(Slot::start).toList();
    }

    private static List<LocalTime> times(String first, int count) {
        List<LocalTime> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(LocalTime.parse(first).plusMinutes(30L * i));
        }
        return times;
    }

    private static Map<LocalDate, List<Slot>> byLocalDate(List<Slot> slots, ZoneId zone) {
        return slots.stream().collect(Collectors.groupingBy(s -> s.start().atZone(zone).toLocalDate(), TreeMap::new,
                Collectors.toList()));
    }

    /** Sorted, each lasting its real slot length, none overlapping the next. */
    private static void assertWellFormed(List<Slot> slots) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            assertThat(Duration.between(slot.start(), slot.end())).as("length of %s", slot).isEqualTo(HALF_HOUR);
            if (i > 0) {
                assertThat(slot.start()).as("%s after %s", slot, slots.get(i - 1))
                        .isAfterOrEqualTo(slots.get(i - 1).end());
            }
        }
    }

    /** Guards the test data: the zone really changes offset on that date, as stated. */
    private static void assertIsTransition(ZoneId zone, LocalDate date, ZoneOffset before, ZoneOffset after) {
        ZoneOffsetTransition transition = zone.getRules().nextTransition(date.atStartOfDay().toInstant(before));
        assertThat(transition.getDateTimeBefore().toLocalDate()).isEqualTo(date);
        assertThat(transition.getOffsetBefore()).isEqualTo(before);
        assertThat(transition.getOffsetAfter()).isEqualTo(after);
    }
}
