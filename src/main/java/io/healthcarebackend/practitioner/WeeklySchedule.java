package io.healthcarebackend.practitioner;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.zone.ZoneOffsetTransition;
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
                Instant end = resolve(date, h.end(), zone);
                for (Instant s = resolve(date, h.start(), zone); !s.plus(length).isAfter(end);
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
            Instant open = resolve(date, h.start(), zone);
            Instant close = resolve(date, h.end(), zone);
            if (!start.isBefore(open) && !end.isAfter(close)) {
                return !absent(start, end);
            }
        }
        return false;
    }

    /**
     * The instant a wall-clock time happens on a date. A time skipped by a spring-forward change
     * (02:30 on a night that jumps from 02:00 to 03:00) happens when the clock passes it, i.e. at
     * the jump; Java's default would push it an hour later and stretch or shrink working hours.
     * An ambiguous autumn time takes the earlier offset.
     */
    static Instant resolve(LocalDate date, LocalTime time, ZoneId zone) {
        LocalDateTime local = date.atTime(time);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        return transition != null && transition.isGap() ? transition.getInstant() : local.atZone(zone).toInstant();
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
