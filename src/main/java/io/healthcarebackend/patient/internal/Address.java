package io.healthcarebackend.patient.internal;

import jakarta.validation.constraints.Size;

/** A postal address. */
record Address(@Size(max = 200) String line, @Size(max = 100) String city, @Size(max = 20) String postalCode,
        @Size(max = 100) String state, @Size(max = 2) String country) {
}
