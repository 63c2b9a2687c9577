package io.healthcarebackend.patient.internal;

import io.healthcarebackend.patient.PatientContacts;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.PatientKeyMissing;
import io.healthcarebackend.platform.crypto.PhiKeys;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** {@link PatientContacts} from the sealed record, read in the caller's clinic transaction. */
@Component
class ContactLookup implements PatientContacts {

    private static final Logger log = LoggerFactory.getLogger(ContactLookup.class);

    private final PatientRepository patients;
    private final PhiKeys keys;
    private final PhiCodec codec;

    ContactLookup(PatientRepository patients, PhiKeys keys, PhiCodec codec) {
        this.patients = patients;
        this.keys = keys;
        this.codec = codec;
    }

    @Override
    public Optional<Contact> contactOf(ClinicId clinic, UUID patientId) {
        Optional<StoredPatient> row = patients.find(clinic, patientId).filter(p -> !p.erased());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.openContact(row.get(), keys.patientKey(clinic, patientId)));
        } catch (PatientKeyMissing e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            log.error("Patient record {} of clinic {} failed decryption (integrity check)", patientId, clinic);
            return Optional.empty();
        }
    }
}
