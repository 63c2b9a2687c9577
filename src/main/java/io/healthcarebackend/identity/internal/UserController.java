package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.web.PlainText;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicAdministration;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Page;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UserController {

    private final UserService users;
    private final ClinicAdministration administration;

    UserController(UserService users, ClinicAdministration administration) {
        this.users = users;
        this.administration = administration;
    }

    record CreateUser(@NotBlank @Email @Size(max = 320) String email, @NotBlank @Size(max = 200) @PlainText String name,
            @NotNull Role role, @NotBlank @Size(max = 128) String password) {
    }

    record UpdateUser(Role role, Boolean active) {
    }

    record UserView(UUID id, String email, String name, Role role, UUID clinicId, boolean active) {
        static UserView of(StaffUser u) {
            return new UserView(u.id().value(), u.email(), u.name(), u.role(), u.clinicId().value(), u.active());
        }
    }

    /**
     * Clinic admins add users to their own clinic (another clinic's id is a 404). A platform admin
     * creates a clinic's first administrator (while the clinic has no user); any further user only
     * under a support grant the clinic's administrator approved (else 403 SUPPORT_GRANT_REQUIRED).
     */
    @PostMapping("/api/v1/clinics/{clinicId}/users")
    @PreAuthorize("hasAnyRole('PLATFORM_ADMIN', 'CLINIC_ADMIN')")
    ResponseEntity<UserView> create(@PathVariable UUID clinicId, @Valid @RequestBody CreateUser body,
            @AuthenticationPrincipal CurrentUser user) {
        ClinicId clinic = new ClinicId(clinicId);
        if (user.is(Role.CLINIC_ADMIN) && !clinic.equals(user.clinicId())) {
            throw new ApiException.NotFound("Clinic");
        }
        boolean firstOnly = false;
        if (user.is(Role.PLATFORM_ADMIN)) {
            firstOnly = body.role() == Role.CLINIC_ADMIN && users.hasNoUsers(clinic);
            if (!firstOnly) {
                administration.mayAdminister(user, clinicId, "create user with role " + body.role());
            }
        }
        UserId id = users.create(user, clinic, body.email(), body.name(), body.role(), body.password(), firstOnly);
        UserView view = new UserView(id.value(), io.healthcarebackend.platform.EmailAddress.of(body.email()).value(),
                body.name().strip(), body.role(), clinicId, true);
        return ResponseEntity.created(URI.create("/api/v1/users/" + id)).body(view);
    }

    @GetMapping("/api/v1/users")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    Page<UserView> list(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = Cursor.limit(limit);
        return Page.of(users.page(user.clinic(), Cursor.id(cursor), size + 1), size, UserView::of,
                v -> Cursor.ofId(v.id()));
    }

    @PatchMapping("/api/v1/users/{id}")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    UserView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdateUser body) {
        return UserView.of(users.update(user, user.clinic(), new UserId(id), body.role(), body.active()));
    }
}
