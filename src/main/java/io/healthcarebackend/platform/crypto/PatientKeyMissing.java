package io.healthcarebackend.platform.crypto;

import java.util.UUID;

/** The patient has no data key: it was destroyed (crypto-shredded), so the data is unreadable for good. */
public final class PatientKeyMissing extends RuntimeException {

    public PatientKeyMissing(UUID patient) {
        super("no data key for patient " + patient, null, false, false);
    }
}
