package io.healthcarebackend.identity.internal;

import java.net.URI;
import java.util.List;

/** What a provider's discovery document tells us, checked once on arrival. */
record OidcMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
        List<String> signingAlgorithms, List<String> tokenEndpointAuthMethods) {

    /** RFC 6749 recommends HTTP Basic for the client secret; the body only where Basic is not offered. */
    boolean secretInBody() {
        return !tokenEndpointAuthMethods.isEmpty() && !tokenEndpointAuthMethods.contains("client_secret_basic")
                && tokenEndpointAuthMethods.contains("client_secret_post");
    }
}
