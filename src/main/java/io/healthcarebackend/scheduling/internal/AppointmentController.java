package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Page;
import io.healthcarebackend.practitioner.WeeklySchedule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
class AppointmentController {

    private static final String STAFF = "hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')";
    private static final String CLINICAL = "hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER')";

    private final BookingService booking;
    private final AvailabilityService availability;
    private final JsonMapper json;
    private final AuditTrail audit;

    AppointmentController(BookingService booking, AvailabilityService availability, JsonMapper json,
            AuditTrail audit) {
        this.audit = audit;
        this.booking = booking;
        this.availability = availability;
        this.json = json;
    }

    record Book(@NotNull UUID patientId, @NotNull UUID practitionerId, @NotNull OffsetDateTime start,
            @NotNull OffsetDateTime end, @Size(max = 500) String reason) {
    }

    record Reschedule(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end) {
    }

    record Cancel(@NotBlank @Size(max = 500) String reason) {
    }

    record AppointmentView(UUID id, UUID patientId, UUID practitionerId, Instant start, Instant end,
            AppointmentStatus status, String reason, String cancelReason, int version, Instant createdAt,
            Instant updatedAt) {
        static AppointmentView of(Appointment a) {
            return new AppointmentView(a.id(), a.patientId(), a.practitionerId(), a.start(), a.end(), a.status(),
                    a.reason(), a.cancelReason(), a.version(), a.createdAt(), a.updatedAt());
        }
    }

    record SlotView(Instant start, Instant end) {
    }

    @PostMapping("/api/v1/appointments")
    @PreAuthorize(STAFF)
    ResponseEntity<AppointmentView> book(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody Book body,
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        var request = new BookingService.Booking(body.patientId(), body.practitionerId(), body.start().toInstant(),
                body.end().toInstant(), body.reason());
        AppointmentView view;
        if (key == null) {
            view = AppointmentView.of(booking.book(user, request));
        } else {
            var outcome = booking.bookOnce(user, request, key,
                    a -> json.writeValueAsString(AppointmentView.of(a)));
            view = outcome.replayed() != null
                    ? json.readValue(outcome.replayed().body(), AppointmentView.class)
                    : AppointmentView.of(outcome.booked());
            if (outcome.replayed() != null) {
                audited(user, List.of(view));
            }
        }
        return ResponseEntity.created(URI.create("/api/v1/appointments/" + view.id())).body(view);
    }

    @GetMapping("/api/v1/appointments/{id}")
    @PreAuthorize(STAFF)
    AppointmentView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        AppointmentView view = AppointmentView.of(booking.get(user.clinic(), id));
        audited(user, List.of(view));
        return view;
    }

    @GetMapping("/api/v1/appointments")
    @PreAuthorize(STAFF)
    Page<AppointmentView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) UUID practitionerId, @RequestParam(required = false) UUID patientId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(required = false) AppointmentStatus status,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int size = Cursor.limit(limit);
        Cursor.TimeAndId after = Cursor.timeAndId(cursor);
        List<Appointment> rows = booking.list(user.clinic(), new AppointmentRepository.Filter(practitionerId, patientId,
                from == null ? null : from.toInstant(), to == null ? null : to.toInstant(), status,
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1));
        Page<AppointmentView> page = Page.of(rows, size, AppointmentView::of, v -> Cursor.ofTimeAndId(v.start(), v.id()));
        audited(user, page.items());
        return page;
    }

    /** A read of appointments is a read of their patients' PHI: durable audit before answering. */
    private void audited(CurrentUser user, List<AppointmentView> shown) {
        audit.recordDurably(shown.stream().map(v -> AuditEvent.by(user, AuditAction.READ, AuditOutcome.SUCCESS)
                .about("Appointment", v.id(), v.patientId())).toList());
    }

    @PostMapping("/api/v1/appointments/{id}/reschedule")
    @PreAuthorize(STAFF)
    AppointmentView reschedule(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Reschedule body) {
        return AppointmentView.of(booking.reschedule(user, id, body.start().toInstant(),
                body.end().toInstant()));
    }

    @PostMapping("/api/v1/appointments/{id}/cancel")
    @PreAuthorize(STAFF)
    AppointmentView cancel(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Cancel body) {
        return AppointmentView.of(booking.cancel(user, id, body.reason()));
    }

    @PostMapping("/api/v1/appointments/{id}/check-in")
    @PreAuthorize(STAFF)
    AppointmentView checkIn(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return AppointmentView.of(booking.checkIn(user, id));
    }

    @PostMapping("/api/v1/appointments/{id}/complete")
    @PreAuthorize(CLINICAL)
    AppointmentView complete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return AppointmentView.of(booking.complete(user, id));
    }

    @PostMapping("/api/v1/appointments/{id}/no-show")
    @PreAuthorize(CLINICAL)
    AppointmentView noShow(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return AppointmentView.of(booking.markNoShow(user, id));
    }

    @GetMapping("/api/v1/practitioners/{id}/availability")
    @PreAuthorize(STAFF)
    Map<String, List<SlotView>> availability(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to) {
        List<WeeklySchedule.Slot> slots = availability.freeSlots(user.clinic(), id, from.toInstant(), to.toInstant());
        return Map.of("slots", slots.stream().map(s -> new SlotView(s.start(), s.end())).toList());
    }
}
