package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Support grants of one clinic: a platform administrator asks, the clinic's administrator decides
 * and may revoke; compliance officers read. Another clinic's id is a 404 for clinic staff.
 */
@RestController
@RequestMapping("/api/v1/clinics/{clinicId}/support-grants")
class SupportGrantController {

    record RequestGrant(@NotBlank @Size(min = 10, max = 500) String reason,
            @NotNull @Min(15) @Max(480) Integer durationMinutes) {
    }

    record GrantView(UUID id, UUID clinicId, UUID requestedBy, String reason, int durationMinutes, String status,
            boolean active, Instant requestedAt, Instant decidedAt, Instant approvedAt, Instant expiresAt,
            Instant endedAt) {
        static GrantView of(SupportGrant g) {
            boolean active = g.status() == SupportGrant.Status.APPROVED && g.expiresAt().isAfter(Instant.now());
            return new GrantView(g.id(), g.clinicId().value(), g.requestedBy(), g.reason(), g.durationMinutes(),
                    g.status().name(), active, g.requestedAt(), g.decidedAt(), g.approvedAt(), g.expiresAt(),
                    g.endedAt());
        }
    }

    private final SupportGrants grants;

    SupportGrantController(SupportGrants grants) {
        this.grants = grants;
    }

    @PostMapping
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    ResponseEntity<GrantView> request(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID clinicId,
            @Valid @RequestBody RequestGrant body) {
        SupportGrant grant = grants.request(user, clinicId, body.reason(), body.durationMinutes());
        return ResponseEntity.created(URI.create("/api/v1/clinics/" + clinicId + "/support-grants/" + grant.id()))
                .body(GrantView.of(grant));
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('PLATFORM_ADMIN', 'CLINIC_ADMIN', 'COMPLIANCE_OFFICER')")
    Map<String, List<GrantView>> list(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID clinicId,
            @RequestParam(required = false) Integer limit) {
        return Map.of("items", grants.list(user, clinicId, Cursor.limit(limit)).stream().map(GrantView::of).toList());
    }

    @PostMapping("/{grantId}/approve")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    GrantView approve(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID clinicId,
            @PathVariable UUID grantId) {
        return GrantView.of(grants.approve(user, clinicId, grantId));
    }

    @PostMapping("/{grantId}/deny")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    GrantView deny(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID clinicId,
            @PathVariable UUID grantId) {
        return GrantView.of(grants.deny(user, clinicId, grantId));
    }

    @PostMapping("/{grantId}/revoke")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    GrantView revoke(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID clinicId,
            @PathVariable UUID grantId) {
        return GrantView.of(grants.revoke(user, clinicId, grantId));
    }
}
