package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.delivery.NotificationSettings.Template;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.db.TenantTx;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A clinic's confirmations and reminders: whether to confirm, when to remind, quiet hours, channels
 * and templates. Its administrators set it; the change is on the clinic's audit trail and applies
 * to appointments booked or moved from then on.
 */
@RestController
@RequestMapping("/api/v1/clinics/{id}/notification-settings")
@PreAuthorize("hasRole('CLINIC_ADMIN')")
class SettingsController {

    record QuietHours(@NotNull LocalTime start, @NotNull LocalTime end) {
    }

    record Body(@NotNull Boolean confirmations,
            @NotNull @Size(max = 5) List<@NotNull @Min(1) @Max(43_200) Integer> reminderOffsetsMinutes,
            @Valid QuietHours quietHours, @NotNull @Size(max = 3) List<@NotNull Channel> channels,
            Map<String, Template> templates) {

        static Body of(NotificationSettings s) {
            return new Body(s.confirmations(), s.reminderOffsets(),
                    s.hasQuietHours() ? new QuietHours(s.quietStart(), s.quietEnd()) : null, s.channels(),
                    s.templates());
        }

        NotificationSettings settings() {
            return new NotificationSettings(confirmations, reminderOffsetsMinutes.stream().distinct().toList(),
                    quietHours == null ? null : quietHours.start(), quietHours == null ? null : quietHours.end(),
                    channels.stream().distinct().toList(), templates == null ? Map.of() : templates);
        }
    }

    private final SettingsRepository settings;
    private final TenantTx tx;
    private final AuditTrail audit;
    private final Clock clock;

    SettingsController(SettingsRepository settings, TenantTx tx, AuditTrail audit, Clock clock) {
        this.settings = settings;
        this.tx = tx;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping
    Body get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        ClinicId clinic = user.mayActOn(id);
        return tx.readInClinic(clinic, () -> Body.of(settings.of(clinic)));
    }

    @PutMapping
    Body set(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id, @Valid @RequestBody Body body) {
        ClinicId clinic = user.mayActOn(id);
        List<String> problems = new ArrayList<>();
        if (body.templates() != null) {
            body.templates().forEach((key, template) -> problems.addAll(Templates.problems(key, template)));
        }
        if (body.quietHours() != null && body.quietHours().start().equals(body.quietHours().end())) {
            problems.add("quietHours: start and end must differ");
        }
        if (new HashSet<>(body.reminderOffsetsMinutes()).size() != body.reminderOffsetsMinutes().size()) {
            problems.add("reminderOffsetsMinutes: must not repeat");
        }
        if (!problems.isEmpty()) {
            throw new ApiException.BadRequest("INVALID_NOTIFICATION_SETTINGS", String.join("; ", problems));
        }
        NotificationSettings next = body.settings();
        return tx.inClinic(clinic, () -> {
            settings.save(clinic, next, clock.instant());
            audit.recordWithChange(new AuditEvent(clinic, user.id().value(), user.role(), AuditAction.UPDATE,
                    "NotificationSettings", clinic.value(), null, AuditOutcome.SUCCESS, null));
            return Body.of(next);
        });
    }
}
