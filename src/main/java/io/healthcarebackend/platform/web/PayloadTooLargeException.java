package io.healthcarebackend.platform.web;

import java.io.IOException;

/** Thrown while reading a body that passes the configured limit. */
class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
    }
}
