package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The device token of the patient's app (Firebase Cloud Messaging registration token), the
 * recipient of push reminders. Write-only: no answer ever carries it, since only the notification
 * sender needs it and it reaches the patient's device. Same roles as updating the record.
 */
@RestController
@RequestMapping("/api/v1/patients/{id}/push-token")
@PreAuthorize("hasAnyRole('CLINIC_ADMIN', 'PRACTITIONER', 'RECEPTIONIST')")
class PushTokenController {

    private final PatientService patients;

    PushTokenController(PatientService patients) {
        this.patients = patients;
    }

    /** Printable ASCII without spaces (FCM tokens are base64url-ish with ':' and '-'). */
    record PushToken(@NotNull @Size(min = 1, max = 4096)
            @Pattern(regexp = "[\\x21-\\x7E]+", message = "must be printable ASCII without whitespace") String token) {

        /** The token is a credential-like identifier: it stays out of any log line. */
        @Override
        public String toString() {
            return "PushToken[(redacted)]";
        }
    }

    /** Sets or replaces the token (the app registered, or FCM rotated the token). */
    @PutMapping
    ResponseEntity<Void> set(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody PushToken body) {
        patients.setPushToken(user, id, body.token());
        return ResponseEntity.noContent().build();
    }

    /** The app was unregistered or the token revoked: push reminders stop, the other channels go on. */
    @DeleteMapping
    ResponseEntity<Void> clear(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        patients.setPushToken(user, id, null);
        return ResponseEntity.noContent().build();
    }
}
