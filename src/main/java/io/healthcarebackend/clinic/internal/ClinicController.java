package io.healthcarebackend.clinic.internal;

import io.healthcarebackend.platform.web.PlainText;
import io.healthcarebackend.clinic.ClinicView;
import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/clinics")
class ClinicController {

    private final Clinics clinics;

    ClinicController(Clinics clinics) {
        this.clinics = clinics;
    }

    record CreateClinic(@NotBlank @Size(max = 200) @PlainText String name, @NotBlank @Size(max = 64) String timeZone) {
    }

    record ClinicResponse(UUID id, String name, String timeZone, Instant createdAt) {
        static ClinicResponse of(ClinicView view) {
            return new ClinicResponse(view.id().value(), view.name(), view.timeZone().getId(), view.createdAt());
        }
    }

    @PostMapping
    @PreAuthorize("hasRole('PLATFORM_ADMIN')")
    ResponseEntity<ClinicResponse> create(@Valid @RequestBody CreateClinic body) {
        ZoneId zone;
        try {
            zone = ZoneId.of(body.timeZone());
        } catch (DateTimeException e) {
            throw new ApiException.BadRequest("INVALID_TIME_ZONE", "timeZone must be an IANA time zone id");
        }
        ClinicView view = clinics.create(new ClinicId(Ids.newId()), body.name().strip(), zone);
        return ResponseEntity.created(URI.create("/api/v1/clinics/" + view.id())).body(ClinicResponse.of(view));
    }

    /** Platform admins may read any clinic; staff only their own (another clinic's id is a 404). */
    @GetMapping("/{id}")
    ClinicResponse get(@PathVariable UUID id, @AuthenticationPrincipal CurrentUser user) {
        ClinicId clinic = user.mayActOn(id);
        return clinics.find(clinic).map(ClinicResponse::of).orElseThrow(() -> new ApiException.NotFound("Clinic"));
    }
}
