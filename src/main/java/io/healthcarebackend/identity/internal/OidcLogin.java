package io.healthcarebackend.identity.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sign-in with an OpenID Connect provider (authorization-code flow with PKCE), driven by the
 * backend for SPAs and mobile apps. {@link #start} creates state, nonce and PKCE verifier and keeps
 * them server-side; {@link #callback} takes them back (once), redeems the code, checks the ID token,
 * requires a verified e-mail address and opens a session for the active clinic user with that
 * address, through the same {@link AuthService#signIn} as a password login.
 *
 * <p>Refusals answer with distinct codes because they tell a caller nothing about our accounts
 * that it did not already know: whether the provider vouches for the address is checked before
 * any account lookup, and an account can only be probed with an identity whose verified address
 * the caller controls. Inactive accounts and platform administrators get the same
 * {@code OIDC_NO_ACCOUNT} as unknown addresses; the audit trail records the precise reason.
 */
@Service
class OidcLogin {

    private static final Logger log = LoggerFactory.getLogger(OidcLogin.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcProviders providers;
    private final OidcPendingLogins pending;
    private final OidcSettings settings;
    private final UserRepository users;
    private final AuthService auth;
    private final AuditTrail audit;
    private final Clock clock;

    private final SecondFactor secondFactor;

    OidcLogin(OidcProviders providers, OidcPendingLogins pending, OidcSettings settings, UserRepository users,
            AuthService auth, SecondFactor secondFactor, AuditTrail audit, Clock clock) {
        this.secondFactor = secondFactor;
        this.providers = providers;
        this.pending = pending;
        this.settings = settings;
        this.users = users;
        this.auth = auth;
        this.audit = audit;
        this.clock = clock;
    }

    record Started(String authorizationUrl, String state, long expiresIn) {
    }

    Started start(String providerId, String redirectUri) {
        OidcProvider provider = provider(providerId);
        if (!provider.allowsRedirect(redirectUri)) {
            throw new ApiException.BadRequest("OIDC_REDIRECT_URI_NOT_ALLOWED",
                    "redirectUri is not on this provider's allow-list");
        }
        String state = random();
        String nonce = random();
        String verifier = random();
        String url;
        try {
            url = provider.authorizationUrl(redirectUri, state, nonce, sha256Base64Url(verifier));
        } catch (OidcRefusal refusal) {
            throw refusal.toApi();
        }
        pending.save(sha256(state), new OidcPendingLogin(provider.id(), redirectUri, nonce, verifier,
                clock.instant().plus(settings.stateTtl())));
        return new Started(url, state, settings.stateTtl().toSeconds());
    }

    AuthService.Tokens callback(String providerId, String code, String state, MfaVerifier.Presented secondFactorCode,
            AuthService.Client client) {
        OidcProvider provider = provider(providerId);
        String method = "oidc:" + provider.id();
        String email;
        try {
            OidcPendingLogin login = pending.take(sha256(state))
                    .filter(p -> p.provider().equals(provider.id()))
                    .filter(p -> clock.instant().isBefore(p.expiresAt()))
                    .orElseThrow(() -> new OidcRefusal(Kind.STATE_INVALID,
                            "state unknown, already used, expired or of another provider"));
            email = verifiedEmail(provider, provider.redeem(code, login));
        } catch (OidcRefusal refusal) {
            throw refused(method, refusal, null);
        }
        // The address's oldest holder: the provider proved the mailbox, not which clinic's account a
        // newer holder meant (an account another clinic made with this address must not catch it).
        StaffUser user = users.holders(EmailAddress.of(email)).stream().findFirst()
                .map(UserRepository.Holder::account).orElse(null);
        if (user == null) {
            throw refused(method, new OidcRefusal(Kind.NO_ACCOUNT, "no account has the verified e-mail"), null);
        }
        if (!user.active()) {
            throw refused(method, new OidcRefusal(Kind.NO_ACCOUNT, "account inactive"), user);
        }
        if (user.clinicId() == null) {
            throw refused(method, new OidcRefusal(Kind.NO_ACCOUNT,
                    "platform administrators sign in with their password"), user);
        }
        return auth.signIn(user, client, secondFactor.atLogin(user, secondFactorCode, method));
    }

    private OidcProvider provider(String id) {
        return providers.find(id).orElseThrow(() -> new ApiException.NotFound("Sign-in provider"));
    }

    /** The {@code email} claim, only when the provider's vouching claim says it is verified. */
    private static String verifiedEmail(OidcProvider provider, JWTClaimsSet claims) {
        Object vouched = claims.getClaim(provider.emailVerifiedClaim());
        boolean verified = Boolean.TRUE.equals(vouched) || "true".equals(vouched);
        Object email = claims.getClaim("email");
        if (!(email instanceof String address) || address.length() > 320 || address.indexOf('@') < 1) {
            throw new OidcRefusal(Kind.EMAIL_NOT_VERIFIED, "ID token has no e-mail address");
        }
        if (!verified) {
            throw new OidcRefusal(Kind.EMAIL_NOT_VERIFIED,
                    "provider does not vouch for the e-mail (" + provider.emailVerifiedClaim() + " not true)");
        }
        return address;
    }

    /** Records the failed sign-in (never the e-mail address) and returns the client's answer. */
    private ApiException refused(String method, OidcRefusal refusal, StaffUser user) {
        log.info("OIDC sign-in refused ({}): {}", method, refusal.detail());
        AuditEvent event = AuditEvent.anonymous(user == null ? null : user.clinicId(), AuditAction.LOGIN_FAILED,
                AuditOutcome.FAILURE).resource(AuthService.STAFF_USER, user == null ? null : user.id().value())
                .reason(method + ": " + refusal.detail());
        audit.recordDurably(event);
        return refusal.toApi();
    }

    /** 256 bits from a CSPRNG, base64url: state, nonce and PKCE verifier (43 characters, RFC 7636 4.1). */
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256Base64Url(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
