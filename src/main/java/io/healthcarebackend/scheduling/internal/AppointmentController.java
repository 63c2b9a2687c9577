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
    private final AppointmentTexts texts;

    AppointmentController(BookingService booking, AvailabilityService availability, JsonMapper json,
            AuditTrail audit, AppointmentTexts texts) {
        this.audit = audit;
        this.texts = texts;
        this.booking = booking;
        this.availability = availability;
        this.json = json;
    }

    /** {@code backdate}: a clinic administrator's explicit, audited request to book a time already begun. */
    record Book(@NotNull UUID patientId, @NotNull UUID practitionerId, @NotNull OffsetDateTime start,
            @NotNull OffsetDateTime end, @Size(max = 500) String reason, Boolean backdate) {

        /** The reason is PHI: never in a log line. */
        @Override
        public String toString() {
            return "Book[patientId=" + patientId + ", practitionerId=" + practitionerId + ", start=" + start
                    + ", end=" + end + ", reason=(redacted), backdate=" + backdate + "]";
        }
    }

    record Reschedule(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end, Boolean backdate) {
    }

    record Cancel(@NotBlank @Size(max = 500) String reason) {

        @Override
        public String toString() {
            return "Cancel[(redacted)]";
        }
    }

    /**
     * An appointment as answered. {@code restricted}: the patient's record is restricted and the
     * caller holds no break-glass grant, so a list shows only that the time is taken (patient and
     * free text left out), as patient search shows only that a restricted record exists.
     */
    record AppointmentView(UUID id, UUID patientId, UUID practitionerId, Instant start, Instant end,
            AppointmentStatus status, String reason, String cancelReason, int version, Instant createdAt,
            Instant updatedAt, boolean restricted) {

        static AppointmentView of(Appointment a, AppointmentTexts.Opened text) {
            return new AppointmentView(a.id(), a.patientId(), a.practitionerId(), a.start(), a.end(), a.status(),
                    text.reason(), text.cancelReason(), a.version(), a.createdAt(), a.updatedAt(), false);
        }

        static AppointmentView redacted(Appointment a) {
            return new AppointmentView(a.id(), null, a.practitionerId(), a.start(), a.end(), a.status(), null, null,
                    a.version(), a.createdAt(), a.updatedAt(), true);
        }

        AppointmentView withReason(String text) {
            return new AppointmentView(id, patientId, practitionerId, start, end, status, text, cancelReason, version,
                    createdAt, updatedAt, restricted);
        }
    }

    /** A stored response; one stored before {@code restricted} existed lacks it (it was never restricted). */
    private AppointmentView storedView(String body) {
        tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) json.readTree(body);
        if (!node.has("restricted")) {
            node.put("restricted", false);
        }
        return json.treeToValue(node, AppointmentView.class);
    }

    private AppointmentView view(Appointment a) {
        return AppointmentView.of(a, texts.open(a));
    }

    record SlotView(Instant start, Instant end) {
    }

    @PostMapping("/api/v1/appointments")
    @PreAuthorize(STAFF)
    ResponseEntity<AppointmentView> book(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody Book body,
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        var request = new BookingService.Booking(body.patientId(), body.practitionerId(), body.start().toInstant(),
                body.end().toInstant(), body.reason(), Boolean.TRUE.equals(body.backdate()));
        AppointmentView view;
        if (key == null) {
            view = view(booking.book(user, request));
        } else {
            // The stored response holds no free text (it is PHI, and would outlive an erasure there):
            // a replay takes the reason from the sealed appointment, which no route changes.
            var outcome = booking.bookOnce(user, request, key,
                    a -> json.writeValueAsString(AppointmentView.of(a, AppointmentTexts.Opened.NONE)));
            if (outcome.replayed() != null) {
                AppointmentView stored = storedView(outcome.replayed().body());
                view = stored.withReason(view(booking.get(user, stored.id())).reason());
                audited(user, List.of(view));
            } else {
                view = view(outcome.booked());
            }
        }
        return ResponseEntity.created(URI.create("/api/v1/appointments/" + view.id())).body(view);
    }

    @GetMapping("/api/v1/appointments/{id}")
    @PreAuthorize(STAFF)
    AppointmentView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        AppointmentView view = view(booking.get(user, id));
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
        BookingService.Listed listed = booking.list(user, new AppointmentRepository.Filter(practitionerId,
                patientId, from == null ? null : from.toInstant(), to == null ? null : to.toInstant(), status,
                after == null ? null : after.at(), after == null ? null : after.id(), size + 1));
        List<Appointment> shown = listed.rows().stream().limit(size)
                .filter(a -> !listed.closedPatients().contains(a.patientId())).toList();
        Map<UUID, AppointmentTexts.Opened> opened = texts.open(user.clinic(), shown);
        Page<AppointmentView> page = Page.of(listed.rows(), size, a -> opened.containsKey(a.id())
                ? AppointmentView.of(a, opened.get(a.id())) : AppointmentView.redacted(a),
                v -> Cursor.ofTimeAndId(v.start(), v.id()));
        audited(user, page.items());
        return page;
    }

    /**
     * A read of appointments is a read of their patients' PHI: durable audit before answering. A
     * redacted item shows no patient, so it is no read of one.
     */
    private void audited(CurrentUser user, List<AppointmentView> shown) {
        audit.recordDurably(shown.stream().filter(v -> !v.restricted())
                .map(v -> AuditEvent.by(user, AuditAction.READ, AuditOutcome.SUCCESS)
                .about("Appointment", v.id(), v.patientId())).toList());
    }

    @PostMapping("/api/v1/appointments/{id}/reschedule")
    @PreAuthorize(STAFF)
    AppointmentView reschedule(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Reschedule body) {
        return view(booking.reschedule(user, id, body.start().toInstant(), body.end().toInstant(),
                Boolean.TRUE.equals(body.backdate())));
    }

    @PostMapping("/api/v1/appointments/{id}/cancel")
    @PreAuthorize(STAFF)
    AppointmentView cancel(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Cancel body) {
        return view(booking.cancel(user, id, body.reason()));
    }

    @PostMapping("/api/v1/appointments/{id}/check-in")
    @PreAuthorize(STAFF)
    AppointmentView checkIn(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return view(booking.checkIn(user, id));
    }

    @PostMapping("/api/v1/appointments/{id}/complete")
    @PreAuthorize(CLINICAL)
    AppointmentView complete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return view(booking.complete(user, id));
    }

    @PostMapping("/api/v1/appointments/{id}/no-show")
    @PreAuthorize(CLINICAL)
    AppointmentView noShow(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return view(booking.markNoShow(user, id));
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
