package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicAdministration;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.db.TenantTx;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A clinic's audit retention: how many months its events are kept at least (HIPAA asks for six
 * years; 7 by default, up to 30). Its own administrators set it, a platform administrator only
 * under an approved support grant ({@link ClinicAdministration}); the change is on the clinic's trail.
 */
@RestController
@RequestMapping("/api/v1/clinics/{id}/audit-retention")
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'COMPLIANCE_OFFICER', 'PLATFORM_ADMIN')")
class RetentionSettingController {

    record Retention(@NotNull @Min(72) @Max(360) Integer months) {
    }

    private final JdbcClient jdbc;
    private final TenantTx tx;
    private final AuditTrail audit;
    private final ClinicAdministration administration;

    RetentionSettingController(JdbcClient jdbc, TenantTx tx, AuditTrail audit, ClinicAdministration administration) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.administration = administration;
    }

    @GetMapping
    Retention get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        ClinicId clinic = user.mayActOn(id);
        return tx.readInClinic(clinic, () -> new Retention(current(clinic)));
    }

    @PutMapping
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PLATFORM_ADMIN')")
    Retention set(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody Retention body) {
        ClinicId clinic = administration.mayAdminister(user, id, "set audit retention " + body.months() + " months");
        return tx.inClinic(clinic, () -> {
            int before = current(clinic);
            jdbc.sql("update clinics set audit_retention_months = :months where id = :id")
                    .param("months", body.months()).param("id", clinic.value()).update();
            audit.recordWithChange(new AuditEvent(clinic, user.id().value(), user.role(), AuditAction.UPDATE,
                    "AuditRetention", clinic.value(), null, AuditOutcome.SUCCESS,
                    "audit retention " + before + " -> " + body.months() + " months"));
            return body;
        });
    }

    private int current(ClinicId clinic) {
        return jdbc.sql("select audit_retention_months from clinics where id = :id").param("id", clinic.value())
                .query(Integer.class).optional().orElseThrow(() -> new ApiException.NotFound("Clinic"));
    }
}
