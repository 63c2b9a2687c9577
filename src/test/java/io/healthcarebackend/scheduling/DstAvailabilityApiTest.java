package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Availability and booking through the API around the next real daylight-saving change of the
 * clinic's zone (found from today's date, so the test never goes stale). Hours are Monday-Friday
 * 09:00-17:00 local. Changes fall on a Sunday in these zones, so the window runs from four days
 * before to three days after the change to hold working days on both sides of it.
 */
class DstAvailabilityApiTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Berlin", "America/New_York"})
    void theFirstSlotOfEveryDayStaysAtNineLocalAcrossTheNextChange(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        ZoneOffsetTransition change = nextChangeWithFutureWorkingDaysBefore(zone);
        LocalDate changeDate = change.getDateTimeBefore().toLocalDate();
        Clinic clinic = newClinic(zoneId);
        String practitioner = weekdayPractitioner(clinic);
        LocalDate first = changeDate.minusDays(4);
        LocalDate end = changeDate.plusDays(4);

        Api.Response availability = api.get("/api/v1/practitioners/" + practitioner + "/availability?from="
                + first.atStartOfDay(zone).toInstant() + "&to=" + end.atStartOfDay(zone).toInstant(),
                clinic.adminToken);

        assertThat(availability.status()).as("%s", availability).isEqualTo(200);
        TreeMap<LocalDate, List<Instant[]>> byDay = new TreeMap<>();
        availability.body().path("slots").forEach(slot -> {
            Instant start = Instant.parse(slot.path("start").asString());
            Instant stop = Instant.parse(slot.path("end").asString());
            byDay.computeIfAbsent(start.atZone(zone).toLocalDate(), d -> new ArrayList<>())
                    .add(new Instant[] {start, stop});
        });
        List<LocalDate> workingDays = first.datesUntil(end).filter(DstAvailabilityApiTest::isWeekday).toList();
        assertThat(byDay.keySet()).containsExactlyElementsOf(workingDays);
        assertThat(workingDays).anyMatch(d -> d.isBefore(changeDate)).anyMatch(d -> d.isAfter(changeDate));

        byDay.forEach((date, slots) -> {
            ZoneOffset offset = date.isBefore(changeDate) ? change.getOffsetBefore() : change.getOffsetAfter();
            assertThat(slots).as("slots of %s", date).hasSize(16);
            assertThat(slots.getFirst()[0]).as("first slot of %s", date).isEqualTo(date.atTime(9, 0).toInstant(offset));
            assertThat(slots.getFirst()[0].atZone(zone).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
            assertThat(slots.getLast()[1]).as("end of %s", date).isEqualTo(date.atTime(17, 0).toInstant(offset));
            slots.forEach(s -> assertThat(Duration.between(s[0], s[1])).isEqualTo(SLOT));
        });
        LocalTime utcBefore = firstSlotUtc(byDay.lowerEntry(changeDate).getValue());
        LocalTime utcAfter = firstSlotUtc(byDay.higherEntry(changeDate).getValue());
        int shift = change.getOffsetAfter().getTotalSeconds() - change.getOffsetBefore().getTotalSeconds();
        assertThat(Math.abs(shift)).isEqualTo(3600);
        assertThat(utcAfter).as("the UTC time of 09:00 local moves by the change")
                .isEqualTo(utcBefore.minusSeconds(shift)).isNotEqualTo(utcBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Berlin", "America/New_York"})
    void bookingFollowsLocalHoursOnBothSidesOfTheNextChange(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        ZoneOffsetTransition change = nextChangeWithFutureWorkingDaysBefore(zone);
        LocalDate changeDate = change.getDateTimeBefore().toLocalDate();
        LocalDate before = lastWeekdayBefore(changeDate);
        LocalDate after = firstWeekdayAfter(changeDate);
        Clinic clinic = newClinic(zoneId);
        String practitioner = weekdayPractitioner(clinic);
        String patient = clinic.patient();

        for (LocalDate date : List.of(before, after)) {
            ZoneOffset offset = date.isBefore(changeDate) ? change.getOffsetBefore() : change.getOffsetAfter();
            OffsetDateTime nine = date.atTime(9, 0).atOffset(offset);
            // Sent with the local offset: the API accepts any offset and means the same instant.
            Api.Response atNine = api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient,
                    "practitionerId", practitioner, "start", nine.toString(), "end", nine.plus(SLOT).toString()));
            assertThat(atNine.status()).as("09:00 local on %s: %s", date, atNine).isEqualTo(201);
            assertThat(Instant.parse(atNine.text("start"))).isEqualTo(nine.toInstant());

            Instant halfPastEight = nine.minus(SLOT).toInstant();
            assertProblem(clinic.book(clinic.adminToken, patient, practitioner, halfPastEight), 422,
                    "OUTSIDE_WORKING_HOURS");
            Instant halfPastFour = date.atTime(16, 30).toInstant(offset);
            assertThat(clinic.book(clinic.adminToken, patient, practitioner, halfPastFour).status())
                    .as("16:30 local on %s", date).isEqualTo(201);
            assertProblem(clinic.book(clinic.adminToken, patient, practitioner, halfPastFour.plus(SLOT)), 422,
                    "OUTSIDE_WORKING_HOURS");
        }
    }

    /**
     * The zone's next offset change from now; if it is so close that the working days just before
     * it are already past, the one after it.
     */
    private static ZoneOffsetTransition nextChangeWithFutureWorkingDaysBefore(ZoneId zone) {
        LocalDate today = LocalDate.now(zone);
        ZoneOffsetTransition change = zone.getRules().nextTransition(Instant.now());
        assertThat(change).as("%s has a future daylight-saving change in the time-zone data", zone).isNotNull();
        while (!change.getDateTimeBefore().toLocalDate().minusDays(4).isAfter(today)) {
            change = zone.getRules().nextTransition(change.getInstant());
        }
        return change;
    }

    private String weekdayPractitioner(Clinic clinic) {
        Api.Response created = api.post("/api/v1/practitioners", clinic.adminToken,
                Map.of("givenName", "Daylight", "familyName", "Saving"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.text("id");
        List<Map<String, String>> hours = List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY).stream()
                .map(d -> Map.of("day", d.name(), "start", "09:00", "end", "17:00")).toList();
        Api.Response schedule = api.put("/api/v1/practitioners/" + id + "/schedule", clinic.adminToken,
                Map.of("slotMinutes", 30, "weeklyHours", hours));
        assertThat(schedule.status()).as("%s", schedule).isEqualTo(200);
        return id;
    }

    private static LocalTime firstSlotUtc(List<Instant[]> slots) {
        return slots.getFirst()[0].atOffset(ZoneOffset.UTC).toLocalTime();
    }

    private static boolean isWeekday(LocalDate date) {
        return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    private static LocalDate lastWeekdayBefore(LocalDate date) {
        LocalDate day = date.minusDays(1);
        while (!isWeekday(day)) {
            day = day.minusDays(1);
        }
        return day;
    }

    private static LocalDate firstWeekdayAfter(LocalDate date) {
        LocalDate day = date.plusDays(1);
        while (!isWeekday(day)) {
            day = day.plusDays(1);
        }
        return day;
    }
}
