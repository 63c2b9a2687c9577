package io.healthcarebackend.platform.crypto;

import io.healthcarebackend.platform.ApiException;
import org.springframework.http.HttpStatus;

/** The key store cannot be reached: PHI can be neither read nor written, so the request is retryable. */
public final class KeyStoreUnavailable extends ApiException {

    KeyStoreUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "KEY_STORE_UNAVAILABLE", "The key store is unavailable; retry");
    }
}
