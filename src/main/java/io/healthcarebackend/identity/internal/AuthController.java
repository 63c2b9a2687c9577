package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.EmailAddress;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final AuthService auth;
    private final PasswordLogin passwordLogin;
    private final SessionRevocation sessions;
    private final PasswordChanges passwordChanges;
    private final RequestClients clients;

    AuthController(AuthService auth, PasswordLogin passwordLogin, SessionRevocation sessions,
            PasswordChanges passwordChanges, RequestClients clients) {
        this.auth = auth;
        this.passwordLogin = passwordLogin;
        this.sessions = sessions;
        this.passwordChanges = passwordChanges;
        this.clients = clients;
    }

    /** {@code totp} takes a TOTP code or a recovery code; {@code recoveryCode} a recovery code. */
    record Login(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 1024) String password,
            @Size(max = 64) String totp, @Size(max = 64) String recoveryCode,
            @Pattern(regexp = CLINIC_CHOICE) String clinicId) {
    }

    /** A clinic id, or {@code platform}: which account to sign in to when one password opens several. */
    static final String CLINIC_CHOICE =
            "^(platform|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$";

    record Refresh(@NotBlank @Size(max = 256) String refreshToken) {
    }

    record SessionView(UUID id, Instant createdAt, Instant lastSeenAt, Instant expiresAt, String ip,
            String userAgent, String device, boolean current, boolean suspicious, String suspiciousReason) {
    }

    record PasswordChange(@NotBlank @Size(max = 1024) String currentPassword,
            @NotBlank @Size(max = 1024) String newPassword) {
    }

    @PostMapping("/login")
    ResponseEntity<AuthService.Tokens> login(@Valid @RequestBody Login body, HttpServletRequest request) {
        return noStore(passwordLogin.login(EmailAddress.of(body.email()), body.password(),
                PasswordLogin.Scope.of(body.clinicId()), new MfaVerifier.Presented(body.totp(), body.recoveryCode()), client(request)));
    }

    @PostMapping("/refresh")
    ResponseEntity<AuthService.Tokens> refresh(@Valid @RequestBody Refresh body, HttpServletRequest request) {
        return noStore(auth.refresh(body.refreshToken(), client(request)));
    }

    /** The signed-in user's new password; their other sessions end. */
    @PostMapping("/password")
    ResponseEntity<Void> changePassword(@AuthenticationPrincipal CurrentUser user,
            @Valid @RequestBody PasswordChange body) {
        passwordChanges.change(user, body.currentPassword(), body.newPassword());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(@AuthenticationPrincipal CurrentUser user) {
        sessions.logout(user);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/sessions")
    Map<String, List<SessionView>> sessions(@AuthenticationPrincipal CurrentUser user) {
        return Map.of("items", sessions.sessionsOf(user).stream()
                .map(s -> new SessionView(s.id(), s.createdAt(), s.lastSeenAt(), s.expiresAt(), s.ip(),
                        s.userAgent(), s.device(), s.id().equals(user.sessionId()), s.flag() != null, s.flag()))
                .toList());
    }

    @DeleteMapping("/sessions/{id}")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        sessions.revoke(user, id);
        return ResponseEntity.noContent().build();
    }

    private AuthService.Client client(HttpServletRequest request) {
        return clients.of(request);
    }

    private static <T> ResponseEntity<T> noStore(T body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
