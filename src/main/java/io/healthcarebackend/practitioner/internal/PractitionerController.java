package io.healthcarebackend.practitioner.internal;

import io.healthcarebackend.platform.web.PlainText;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Page;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.practitioner.WeeklySchedule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/practitioners")
class PractitionerController {

    private final PractitionerService practitioners;

    PractitionerController(PractitionerService practitioners) {
        this.practitioners = practitioners;
    }

    record CreatePractitioner(@NotBlank @Size(max = 100) @PlainText String givenName,
            @NotBlank @Size(max = 100) @PlainText String familyName, @Size(max = 100) @PlainText String specialty,
            UUID userId) {
    }

    record PractitionerView(UUID id, String givenName, String familyName, String specialty, UUID userId,
            int slotMinutes, Instant createdAt) {
        static PractitionerView of(PractitionerRepository.Row r) {
            return new PractitionerView(r.id(), r.givenName(), r.familyName(), r.specialty(), r.userId(),
                    r.slotMinutes(), r.createdAt());
        }
    }

    record HoursBody(@NotNull DayOfWeek day, @NotNull LocalTime start, @NotNull LocalTime end) {
    }

    record ExceptionBody(@NotNull OffsetDateTime from, @NotNull OffsetDateTime to, @Size(max = 200) String reason) {
    }

    record ScheduleBody(@NotNull @Min(5) @Max(480) Integer slotMinutes,
            @NotNull @Size(max = 70) List<@Valid @NotNull HoursBody> weeklyHours,
            @Size(max = 366) List<@Valid @NotNull ExceptionBody> exceptions) {
    }

    record ScheduleView(int slotMinutes, List<HoursBody> weeklyHours, List<ExceptionBody> exceptions) {
    }

    @PostMapping
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    ResponseEntity<PractitionerView> create(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody CreatePractitioner body) {
        UUID id = practitioners.create(user.clinic(), body.givenName(), body.familyName(), body.specialty(),
                body.userId());
        return ResponseEntity.created(URI.create("/api/v1/practitioners/" + id))
                .body(PractitionerView.of(practitioners.get(user.clinic(), id)));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')")
    PractitionerView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return PractitionerView.of(practitioners.get(user.clinic(), id));
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')")
    Page<PractitionerView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int size = Cursor.limit(limit);
        return Page.of(practitioners.page(user.clinic(), Cursor.id(cursor), size + 1), size, PractitionerView::of,
                v -> Cursor.ofId(v.id()));
    }

    /** Clinic admins set any schedule; a practitioner only the one linked to their own user. */
    @PutMapping("/{id}/schedule")
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER')")
    ScheduleView putSchedule(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody ScheduleBody body) {
        PractitionerRepository.Row practitioner = practitioners.get(user.clinic(), id);
        if (user.is(Role.PRACTITIONER) && !user.id().value().equals(practitioner.userId())) {
            throw new ApiException.Forbidden();
        }
        WeeklySchedule schedule = toSchedule(body);
        practitioners.replaceSchedule(user.clinic(), id, schedule);
        return new ScheduleView(schedule.slotMinutes(), body.weeklyHours(),
                body.exceptions() == null ? List.of() : body.exceptions());
    }

    private static WeeklySchedule toSchedule(ScheduleBody body) {
        List<WeeklySchedule.Hours> hours = body.weeklyHours().stream()
                .map(h -> new WeeklySchedule.Hours(h.day(), h.start(), h.end()))
                .sorted(Comparator.comparing(WeeklySchedule.Hours::day).thenComparing(WeeklySchedule.Hours::start))
                .toList();
        for (int i = 0; i < hours.size(); i++) {
            WeeklySchedule.Hours h = hours.get(i);
            if (!h.start().isBefore(h.end())) {
                throw new ApiException.BadRequest("INVALID_SCHEDULE", "weeklyHours[].start must be before end");
            }
            if (i > 0 && hours.get(i - 1).day() == h.day() && hours.get(i - 1).end().isAfter(h.start())) {
                throw new ApiException.BadRequest("INVALID_SCHEDULE", "weeklyHours of one day must not overlap");
            }
        }
        List<WeeklySchedule.Absence> absences = body.exceptions() == null ? List.of() : body.exceptions().stream()
                .map(e -> {
                    if (!e.from().isBefore(e.to())) {
                        throw new ApiException.BadRequest("INVALID_SCHEDULE", "exceptions[].from must be before to");
                    }
                    return new WeeklySchedule.Absence(e.from().toInstant(), e.to().toInstant(), e.reason());
                })
                .toList();
        return new WeeklySchedule(body.slotMinutes(), hours, absences);
    }
}
