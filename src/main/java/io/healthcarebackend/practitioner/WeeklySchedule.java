package io.healthcarebackend.practitioner;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A practitioner's bookable time: weekly hours as wall-clock times in the clinic's zone, a slot
 * length, and exceptions (leave, holidays) as absolute instants. Wall-clock hours are turned into
 * instants per calendar date, so a 09:00 start stays 09:00 local across daylight-saving changes.
 */
public record WeeklySchedule(int slotMinutes, List<Hours> hours, List<Absence> absences) {

    public WeeklySchedule {
        hours = List.copyOf(hours);
        absences = List.copyOf(absences);
    }

    public record Hours(DayOfWeek day, LocalTime start, LocalTime end) {
    }

    public record Absence(Instant from, Instant to, String reason) {
    }

    public record Slot(Instant start, Instant end) {
    }

    /** Slots that start at or after {@code from} and end at or before {@code to}, minus absences. */
    public List<Slot> slots(Instant from, Instant to, ZoneId zone) {
        List<Slot> slots = new ArrayList<>();
        Duration length = Duration.ofMinutes(slotMinutes);
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate date = from.atZone(zone).toLocalDate(); !date.isAfter(last); date = date.plusDays(1)) {
            for (Hours h : hours) {
                if (h.day() != date.getDayOfWeek()) {
                    continue;
                }
                Instant end = ZonedDateTime.of(date, h.end(), zone).toInstant();
                for (Instant s = ZonedDateTime.of(date, h.start(), zone).toInstant(); !s.plus(length).isAfter(end);
                        s = s.plus(length)) {
                    Instant e = s.plus(length);
                    if (!s.isBefore(from) && !e.isAfter(to) && !absent(s, e)) {
                        slots.add(new Slot(s, e));
                    }
                }
            }
        }
        slots.sort(java.util.Comparator.comparing(Slot::start));
        return slots;
    }

    /** Whether [start, end) lies inside one working-hours interval and outside every absence. */
    public boolean allows(Instant start, Instant end, ZoneId zone) {
        LocalDate date = start.atZone(zone).toLocalDate();
        for (Hours h : hours) {
            if (h.day() != date.getDayOfWeek()) {
                continue;
            }
            Instant open = ZonedDateTime.of(date, h.start(), zone).toInstant();
            Instant close = ZonedDateTime.of(date, h.end(), zone).toInstant();
            if (!start.isBefore(open) && !end.isAfter(close)) {
                return !absent(start, end);
            }
        }
        return false;
    }

    private boolean absent(Instant start, Instant end) {
        for (Absence a : absences) {
            if (start.isBefore(a.to()) && a.from().isBefore(end)) {
                return true;
            }
        }
        return false;
    }
}
