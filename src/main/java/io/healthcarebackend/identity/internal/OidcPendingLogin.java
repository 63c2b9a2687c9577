package io.healthcarebackend.identity.internal;

import java.time.Instant;

/**
 * A started sign-in, kept server-side until the client comes back with the code: which provider,
 * where the provider was told to send the user, the nonce the ID token must carry and the PKCE
 * verifier. No personal data; the state that names it is stored only as a hash.
 */
record OidcPendingLogin(String provider, String redirectUri, String nonce, String codeVerifier, Instant expiresAt) {
}
