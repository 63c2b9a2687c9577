package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.web.PlainText;
import jakarta.validation.constraints.Size;

/** A postal address. */
record Address(@Size(max = 200) @PlainText String line, @Size(max = 100) @PlainText String city,
        @Size(max = 20) @PlainText String postalCode, @Size(max = 100) @PlainText String state,
        @Size(max = 2) @PlainText String country) {
}
