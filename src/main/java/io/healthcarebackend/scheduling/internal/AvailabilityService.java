package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.practitioner.PractitionerSchedules;
import io.healthcarebackend.practitioner.WeeklySchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Free slots: the schedule's slots from now on, minus active appointments (one indexed query). */
@Service
class AvailabilityService {

    static final Duration MAX_RANGE = Duration.ofDays(31);

    private final PractitionerSchedules schedules;
    private final Clinics clinics;
    private final AppointmentRepository appointments;
    private final Clock clock;

    AvailabilityService(PractitionerSchedules schedules, Clinics clinics, AppointmentRepository appointments,
            Clock clock) {
        this.schedules = schedules;
        this.clinics = clinics;
        this.appointments = appointments;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<WeeklySchedule.Slot> freeSlots(ClinicId clinic, UUID practitionerId, Instant from, Instant to) {
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new ApiException.BadRequest("INVALID_TIME_RANGE", "from must be before to, at most 31 days apart");
        }
        WeeklySchedule schedule = schedules.schedule(clinic, practitionerId)
                .orElseThrow(() -> new ApiException.NotFound("Practitioner"));
        Instant now = clock.instant();
        Instant start = from.isBefore(now) ? now : from;
        if (!start.isBefore(to)) {
            return List.of();
        }
        List<WeeklySchedule.Slot> slots = schedule.slots(start, to, clinics.timeZone(clinic));
        if (slots.isEmpty()) {
            return slots;
        }
        List<AppointmentRepository.Busy> busy = appointments.busy(clinic, practitionerId, start, to);
        return subtract(slots, busy);
    }

    /** Both lists sorted by start: one sweep, O(slots + busy). */
    static List<WeeklySchedule.Slot> subtract(List<WeeklySchedule.Slot> slots, List<AppointmentRepository.Busy> busy) {
        List<WeeklySchedule.Slot> free = new ArrayList<>(slots.size());
        int b = 0;
        for (WeeklySchedule.Slot slot : slots) {
            while (b < busy.size() && !busy.get(b).end().isAfter(slot.start())) {
                b++;
            }
            boolean taken = false;
            for (int i = b; i < busy.size() && busy.get(i).start().isBefore(slot.end()); i++) {
                if (busy.get(i).end().isAfter(slot.start())) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                free.add(slot);
            }
        }
        return free;
    }
}
