package io.healthcarebackend.patient.internal;

import io.healthcarebackend.audit.EmergencyAccess;
import io.healthcarebackend.audit.PatientAccessReport;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
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
@RequestMapping("/api/v1/patients/{id}")
class PatientAccessController {

    private final PatientAccess access;

    PatientAccessController(PatientAccess access) {
        this.access = access;
    }

    record EmergencyRequest(@NotBlank @Size(max = 500) String reason) {
    }

    record Restriction(@NotNull Boolean restricted) {
    }

    /**
     * Break-glass: opens the record for the caller for a limited time; every access meanwhile is
     * flagged. A compliance officer may ask too: it opens only what the role reaches at all (the
     * access report of a restricted record), never the record itself.
     */
    @PostMapping("/emergency-access")
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST', 'COMPLIANCE_OFFICER')")
    EmergencyAccess.Grant emergencyAccess(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody EmergencyRequest body) {
        return access.breakGlass(user, id, body.reason().strip());
    }

    @PutMapping("/restriction")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    Restriction restrict(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Restriction body) {
        access.restrict(user, id, body.restricted());
        return body;
    }

    @GetMapping("/access-report")
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'COMPLIANCE_OFFICER')")
    Page<PatientAccessReport.Entry> accessReport(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int size = Cursor.limit(limit);
        Cursor.TimeAndId after = Cursor.timeAndId(cursor);
        var rows = access.report(user, id, after == null ? null : new PatientAccessReport.Cursor(after.at(), after.id()),
                size + 1);
        return Page.of(rows, size, e -> e, e -> Cursor.ofTimeAndId(e.at(), e.id()));
    }
}
