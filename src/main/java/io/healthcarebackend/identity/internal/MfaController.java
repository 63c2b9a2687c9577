package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.UserId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A staff user's second factor (TOTP). Turning it on or off ends the user's other sessions (they
 * were opened under the old rule); an administrator's reset ends all of them.
 * The two enrollment endpoints also accept, instead of an
 * access token, the enrollment token that a login answered with {@code MFA_ENROLLMENT_REQUIRED};
 * no other endpoint does. Answers that carry a key or recovery codes are never cached.
 *
 * <p>An access token alone cannot start an enrollment or disable the second factor: the request
 * carries the user's current password too, checked like a sign-in ({@link PasswordConfirmation},
 * on the account's failed-sign-in budget). A thief holding only a token can neither put their own
 * authenticator on the account nor take the owner's off. An enrollment token stands for a
 * password checked moments ago at sign-in, so with it no password is asked again.
 */
@RestController
class MfaController {

    private final MfaEnrollment mfa;
    private final SessionRevocation sessions;
    private final PasswordConfirmation password;

    MfaController(MfaEnrollment mfa, SessionRevocation sessions, PasswordConfirmation password) {
        this.mfa = mfa;
        this.sessions = sessions;
        this.password = password;
    }

    /** {@code password}: the signed-in user's current password (not needed with an enrollment token). */
    record Start(@Size(max = 128) String enrollmentToken, @Size(max = 1024) String password) {
    }

    /** The current password, and a current TOTP code or a recovery code (in either code field). */
    record Disable(@Size(max = 1024) String password, @Size(max = 64) String code, @Size(max = 64) String recoveryCode) {
        MfaVerifier.Presented presented() {
            return new MfaVerifier.Presented(code, recoveryCode);
        }
    }

    record Confirm(@NotBlank @Size(max = 16) String code, @Size(max = 128) String enrollmentToken) {
    }

    /** A current TOTP code, or a recovery code (in either field). */
    record Proof(@Size(max = 64) String code, @Size(max = 64) String recoveryCode) {
        MfaVerifier.Presented presented() {
            return new MfaVerifier.Presented(code, recoveryCode);
        }
    }

    record RecoveryCodesView(List<String> recoveryCodes) {
    }

    @GetMapping("/api/v1/auth/mfa")
    MfaEnrollment.Status status(@AuthenticationPrincipal CurrentUser user) {
        return mfa.status(mfa.subject(user, null));
    }

    @PostMapping("/api/v1/auth/mfa/enrollment")
    ResponseEntity<MfaEnrollment.Started> start(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody(required = false) Start body) {
        MfaVerifier.Subject who = mfa.subject(user, body == null ? null : body.enrollmentToken());
        if (user != null) {
            password.confirm(user, body == null ? null : body.password(), AuditAction.MFA_CHANGED);
        }
        return noStore(mfa.start(who));
    }

    @PostMapping("/api/v1/auth/mfa/enrollment/confirm")
    ResponseEntity<RecoveryCodesView> confirm(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody Confirm body) {
        List<String> codes = mfa.confirm(mfa.subject(user, body.enrollmentToken()), body.code());
        if (user != null) {
            sessions.revokeOthers(user, "second factor enabled");
        }
        return noStore(new RecoveryCodesView(codes));
    }

    @PostMapping("/api/v1/auth/mfa/recovery-codes")
    ResponseEntity<RecoveryCodesView> regenerate(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody Proof body) {
        return noStore(new RecoveryCodesView(mfa.regenerateRecoveryCodes(mfa.subject(user, null), body.presented())));
    }

    @PostMapping("/api/v1/auth/mfa/disable")
    ResponseEntity<Void> disable(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody Disable body) {
        MfaVerifier.Subject who = mfa.subject(user, null);
        password.confirm(user, body.password(), AuditAction.MFA_CHANGED);
        mfa.disable(who, body.presented());
        sessions.revokeOthers(user, "second factor disabled");
        return ResponseEntity.noContent().build();
    }

    /** A clinic administrator removes a user's second factor (lost authenticator and recovery codes). */
    @DeleteMapping("/api/v1/users/{id}/mfa")
    @PreAuthorize("hasRole('CLINIC_ADMIN')")
    ResponseEntity<Void> reset(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id) {
        mfa.reset(admin, new UserId(id));
        sessions.revokeAllOf(admin, admin.clinicId(), new UserId(id), "second factor reset");
        return ResponseEntity.noContent().build();
    }

    private static <T> ResponseEntity<T> noStore(T body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
