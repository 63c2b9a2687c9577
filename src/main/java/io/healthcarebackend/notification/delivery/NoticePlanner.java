package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.jobs.JobQueue;
import io.healthcarebackend.platform.jobs.JobQueue.Job;
import io.healthcarebackend.platform.jobs.PendingJobs;
import io.healthcarebackend.platform.tracing.JobSpans;
import io.healthcarebackend.scheduling.AppointmentEvents.AppointmentBooked;
import io.healthcarebackend.scheduling.AppointmentEvents.AppointmentCancelled;
import io.healthcarebackend.scheduling.AppointmentEvents.AppointmentRescheduled;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Plans an appointment's messages inside the transaction that books, moves or cancels it: the
 * confirmation and the reminders are queued (or withdrawn) with the change, so a booking that
 * rolls back leaves no message behind and a committed one never lacks its reminders. One INSERT
 * (and one DELETE on a move) per change; the clinic's settings come from a short cache.
 */
@Component
class NoticePlanner {

    private static final List<String> TASKS = List.of(Kind.CONFIRMATION.task, Kind.REMINDER.task);

    private final SettingsRepository settings;
    private final Clinics clinics;
    private final JobQueue queue;
    private final PendingJobs pending;
    private final Clock clock;
    private final JobSpans spans;

    NoticePlanner(SettingsRepository settings, Clinics clinics, JobQueue queue, PendingJobs pending, Clock clock,
            JobSpans spans) {
        this.settings = settings;
        this.clinics = clinics;
        this.queue = queue;
        this.pending = pending;
        this.clock = clock;
        this.spans = spans;
    }

    @EventListener
    void on(AppointmentBooked booked) {
        plan(new ClinicId(booked.clinicId()), booked.appointmentId(), booked.start());
    }

    @EventListener
    void on(AppointmentRescheduled moved) {
        ClinicId clinic = new ClinicId(moved.clinicId());
        withdraw(clinic, moved.appointmentId(), moved.previousStart());
        plan(clinic, moved.appointmentId(), moved.start());
    }

    @EventListener
    void on(AppointmentCancelled cancelled) {
        withdraw(new ClinicId(cancelled.clinicId()), cancelled.appointmentId(), cancelled.start());
    }

    private void plan(ClinicId clinic, UUID appointment, Instant start) {
        NotificationSettings s = settings.of(clinic);
        ZoneId zone = clinics.timeZone(clinic);
        Instant now = clock.instant();
        String trace = spans.current();
        List<Job> jobs = new ArrayList<>();
        if (s.confirmations()) {
            jobs.add(job(new Notice(clinic.value(), appointment, Kind.CONFIRMATION, 0, start,
                    DueTimes.confirmation(now, s, zone), trace)));
        }
        for (int offset : s.reminderOffsets()) {
            DueTimes.reminder(start, offset, now, s, zone).ifPresent(due -> jobs.add(
                    job(new Notice(clinic.value(), appointment, Kind.REMINDER, offset, start, due, trace))));
        }
        queue.enqueue(jobs);
    }

    private void withdraw(ClinicId clinic, UUID appointment, Instant start) {
        List<String> ids = new ArrayList<>();
        ids.add(Notice.instanceId(appointment, Kind.CONFIRMATION, 0, start));
        for (int offset : settings.of(clinic).reminderOffsets()) {
            ids.add(Notice.instanceId(appointment, Kind.REMINDER, offset, start));
        }
        pending.cancel(TASKS, ids);
    }

    private static Job job(Notice notice) {
        return new Job(notice.kind().task, notice.instanceId(), notice, notice.due(), notice.kind().priority);
    }
}
