package io.healthcarebackend.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign in with Google or Microsoft: the client asks where to send the user, then hands back the code. */
@RestController
@RequestMapping("/api/v1/auth/oidc")
class OidcController {

    private final OidcLogin login;
    private final OidcProviders providers;

    private final RequestClients clients;

    OidcController(OidcLogin login, OidcProviders providers, RequestClients clients) {
        this.login = login;
        this.providers = providers;
        this.clients = clients;
    }

    record Start(@NotBlank @Size(max = 2000) String redirectUri) {
    }

    /** Microsoft's codes run to well over a thousand characters; 4096 leaves room without inviting abuse. */
    record Callback(@NotBlank @Size(max = 4096) String code, @NotBlank @Size(max = 128) String state,
            @Size(max = 64) String totp, @Size(max = 64) String recoveryCode) {
    }

    record ProviderView(String id) {
    }

    /** The enabled providers, so a sign-in page knows which buttons to show. */
    @GetMapping("/providers")
    Map<String, List<ProviderView>> providers() {
        return Map.of("items", providers.ids().stream().map(ProviderView::new).toList());
    }

    @PostMapping("/{provider}/start")
    ResponseEntity<OidcLogin.Started> start(@PathVariable String provider, @Valid @RequestBody Start body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(login.start(provider, body.redirectUri()));
    }

    @PostMapping("/{provider}/callback")
    ResponseEntity<AuthService.Tokens> callback(@PathVariable String provider, @Valid @RequestBody Callback body,
            HttpServletRequest request) {
        AuthService.Client client = clients.of(request);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(login.callback(provider, body.code(), body.state(),
                        new MfaVerifier.Presented(body.totp(), body.recoveryCode()), client));
    }
}
