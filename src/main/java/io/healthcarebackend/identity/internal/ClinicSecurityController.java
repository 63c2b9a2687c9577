package io.healthcarebackend.identity.internal;

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
import jakarta.validation.constraints.NotNull;
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
 * A clinic's sign-in policy: whether every staff member must use a second factor. Its own
 * administrators set it, a platform administrator only under an approved support grant
 * ({@link ClinicAdministration}); compliance officers and platform administrators may read it. The
 * change is on the clinic's trail. Turning it on ends no session: each user meets it at their next login.
 */
@RestController
@RequestMapping("/api/v1/clinics/{id}/security")
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'COMPLIANCE_OFFICER', 'PLATFORM_ADMIN')")
class ClinicSecurityController {

    record Security(@NotNull Boolean mfaRequired) {
    }

    private final MfaRepository repository;
    private final TenantTx tx;
    private final AuditTrail audit;
    private final ClinicAdministration administration;

    ClinicSecurityController(MfaRepository repository, TenantTx tx, AuditTrail audit,
            ClinicAdministration administration) {
        this.repository = repository;
        this.tx = tx;
        this.audit = audit;
        this.administration = administration;
    }

    @GetMapping
    Security get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        ClinicId clinic = user.mayActOn(id);
        return tx.readInClinic(clinic, () -> new Security(current(clinic)));
    }

    @PutMapping
    @PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PLATFORM_ADMIN')")
    Security set(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id, @Valid @RequestBody Security body) {
        ClinicId clinic = administration.mayAdminister(user, id, "set MFA required " + body.mfaRequired());
        return tx.inClinic(clinic, () -> {
            boolean before = current(clinic);
            repository.setClinicSetting(clinic, body.mfaRequired());
            audit.recordWithChange(new AuditEvent(clinic, user.id().value(), user.role(), AuditAction.UPDATE,
                    "ClinicSecurity", clinic.value(), null, AuditOutcome.SUCCESS,
                    "MFA required " + before + " -> " + body.mfaRequired()));
            return body;
        });
    }

    private boolean current(ClinicId clinic) {
        return repository.clinicSetting(clinic).orElseThrow(() -> new ApiException.NotFound("Clinic"));
    }
}
