package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.web.PlainText;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Page;
import io.healthcarebackend.platform.web.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/patients")
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')")
class PatientController {

    private static final String NOT_BLANK = "(?s).*\\S.*";
    private static final String PHONE = "^\\+?[0-9 ()\\-]{3,32}$";

    private static final String SEARCH_BY_POST = "search by name, birth date or MRN with POST /api/v1/patients/search "
            + "(search criteria are PHI and must not appear in URLs)";

    private final PatientService patients;

    PatientController(PatientService patients) {
        this.patients = patients;
    }

    record CreatePatient(@NotBlank @Size(max = 100) @PlainText String givenName,
            @NotBlank @Size(max = 100) @PlainText String familyName,
            @NotNull LocalDate birthDate, Sex sex, @Email @Size(max = 320) String email,
            @Pattern(regexp = PHONE) String phone, @Valid Address address, @Size(max = 64) @PlainText String mrn) {
        PatientService.Fields fields() {
            return new PatientService.Fields(givenName, familyName, birthDate, sex, email, phone, address, mrn);
        }
    }

    /** Partial update: absent (null) fields stay as they are; an empty string clears an optional one. */
    record UpdatePatient(
            @Size(max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") @PlainText String givenName,
            @Size(max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") @PlainText String familyName,
            LocalDate birthDate, Sex sex, @Email @Size(max = 320) String email,
            @Pattern(regexp = "^$|" + PHONE) String phone, @Valid Address address, @Size(max = 64) @PlainText String mrn) {
        PatientService.Fields fields() {
            return new PatientService.Fields(givenName, familyName, birthDate, sex, email, phone, address, mrn);
        }
    }

    record PatientView(UUID id, String givenName, String familyName, LocalDate birthDate, Sex sex, String email,
            String phone, Address address, String mrn, int version, Instant createdAt, Instant updatedAt,
            boolean restricted) {
        static PatientView of(Patient p) {
            return new PatientView(p.id(), p.givenName(), p.familyName(), p.birthDate(), p.sex(), p.email(),
                    p.phone(), p.address(), p.mrn(), p.version(), p.createdAt(), p.updatedAt(), p.restricted());
        }
    }

    @PostMapping
    ResponseEntity<PatientView> create(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody CreatePatient body) {
        Patient patient = patients.create(user, body.fields());
        return ResponseEntity.created(URI.create("/api/v1/patients/" + patient.id())).body(PatientView.of(patient));
    }

    @GetMapping("/{id}")
    PatientView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return PatientView.of(patients.get(user, id));
    }

    @PatchMapping("/{id}")
    PatientView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdatePatient body) {
        return PatientView.of(patients.update(user, id, body.fields()));
    }

    /**
     * Search criteria travel in the body, never in the URL: URLs end up in proxy, ingress and
     * access logs and in browser histories, and a name, birth date or MRN there is PHI.
     */
    record SearchPatients(@Size(max = 200) @PlainText String name, LocalDate birthDate,
            @Size(max = 64) @PlainText String mrn,
            Integer limit, String cursor) {
    }

    @PostMapping("/search")
    Page<PatientView> search(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody SearchPatients body) {
        return page(patients.search(user, body.name(), body.birthDate(), body.mrn(), Cursor.id(body.cursor()),
                Cursor.limit(body.limit())));
    }

    /** The whole list, paged. Any other query parameter is refused: search criteria are PHI (see {@link #search}). */
    @GetMapping
    Page<PatientView> list(@AuthenticationPrincipal CurrentUser user, HttpServletRequest request,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        QueryParameters.refuseAllBut(request, SEARCH_BY_POST, "limit", "cursor");
        return page(patients.search(user, null, null, null, Cursor.id(cursor), Cursor.limit(limit)));
    }

    private static Page<PatientView> page(Page<Patient> page) {
        return new Page<>(page.items().stream().map(PatientView::of).toList(), page.next());
    }

    /**
     * Erasure (GDPR Art. 17): the patient's data key is destroyed, so every copy of the record,
     * backups included, becomes unreadable. Afterwards reads and updates answer 410 PATIENT_ERASED.
     */
    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    ResponseEntity<Void> erase(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        patients.erase(user, id);
        return ResponseEntity.noContent().build();
    }
}
