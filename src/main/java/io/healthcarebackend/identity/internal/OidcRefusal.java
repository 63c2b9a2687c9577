package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Why an OpenID Connect sign-in was refused. The client gets one of a few stable codes; the audit
 * trail gets the precise {@code detail} (never an e-mail address or a token).
 */
final class OidcRefusal extends RuntimeException {

    enum Kind {
        /** The sign-in flow itself is stale or forged: unknown, used, expired or foreign state. */
        STATE_INVALID(HttpStatus.BAD_REQUEST, "OIDC_STATE_INVALID",
                "Sign-in state is unknown, expired or already used; start the sign-in again"),
        /** The provider refused the code, or its ID token failed a check. */
        LOGIN_FAILED(HttpStatus.UNAUTHORIZED, "OIDC_LOGIN_FAILED", "Sign-in with the provider failed"),
        EMAIL_NOT_VERIFIED(HttpStatus.UNAUTHORIZED, "OIDC_EMAIL_NOT_VERIFIED",
                "The provider did not confirm a verified e-mail address"),
        /** No usable account: none with that address, inactive, or one that may not sign in this way. */
        NO_ACCOUNT(HttpStatus.UNAUTHORIZED, "OIDC_NO_ACCOUNT", "No active staff account can sign in with this identity"),
        PROVIDER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "OIDC_PROVIDER_UNAVAILABLE",
                "The sign-in provider cannot be reached; try again shortly");

        private final HttpStatus status;
        private final String code;
        private final String message;

        Kind(HttpStatus status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }
    }

    private final Kind kind;

    OidcRefusal(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    OidcRefusal(Kind kind, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /** What the audit trail records: the refusal's precise reason. */
    String detail() {
        return getMessage();
    }

    ApiException toApi() {
        return new ApiException(kind.status, kind.code, kind.message);
    }
}
