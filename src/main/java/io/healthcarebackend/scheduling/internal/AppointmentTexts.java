package io.healthcarebackend.scheduling.internal;

import com.google.crypto.tink.Aead;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.PatientKeyMissing;
import io.healthcarebackend.platform.crypto.PhiKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Seals and opens an appointment's free text with its patient's data key, like every PHI field of
 * the record (the keys stay in {@code platform.crypto}; the key store is not the data database).
 * The associated data "clinic|patient|appointment/id|field" binds a ciphertext to its appointment
 * and column: moved elsewhere it fails authentication. Erasing the patient destroys the key, and
 * with it every copy of the text, backups included: it then opens as null.
 */
@Component
class AppointmentTexts {

    static final String REASON = "reason";
    static final String CANCEL_REASON = "cancelReason";

    private static final Logger log = LoggerFactory.getLogger(AppointmentTexts.class);

    private final PhiKeys keys;

    AppointmentTexts(PhiKeys keys) {
        this.keys = keys;
    }

    /** What an answer may show of an appointment's text. */
    record Opened(String reason, String cancelReason) {
        static final Opened NONE = new Opened(null, null);
    }

    /** 410 PATIENT_ERASED when the patient's key is gone: nothing new is written about an erased patient. */
    StoredText seal(ClinicId clinic, UUID patient, UUID appointment, String field, String text) {
        if (text == null) {
            return StoredText.NONE;
        }
        Aead key;
        try {
            key = keys.patientKey(clinic, patient);
        } catch (PatientKeyMissing e) {
            throw new ApiException(HttpStatus.GONE, "PATIENT_ERASED", "The patient's data was erased");
        }
        return new StoredText(seal(key, clinic, patient, appointment, field, text), null);
    }

    static byte[] seal(Aead key, ClinicId clinic, UUID patient, UUID appointment, String field, String text) {
        try {
            return key.encrypt(text.getBytes(StandardCharsets.UTF_8), context(clinic, patient, appointment, field));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt field " + field);
        }
    }

    Opened open(Appointment a) {
        return open(a.clinicId(), Set.of(a)).getOrDefault(a.id(), Opened.NONE);
    }

    /** The texts of these appointments, by appointment id; at most one key-store query for the misses. */
    Map<UUID, Opened> open(ClinicId clinic, Collection<Appointment> appointments) {
        Set<UUID> patients = appointments.stream()
                .filter(a -> a.reason().sealed() != null || a.cancelReason().sealed() != null)
                .map(Appointment::patientId).collect(Collectors.toSet());
        Map<UUID, Aead> found = patients.isEmpty() ? Map.of() : keys.patientKeys(clinic, patients);
        Map<UUID, Opened> opened = new HashMap<>();
        for (Appointment a : appointments) {
            Aead key = found.get(a.patientId()); // none: the patient was erased, the text is gone
            opened.put(a.id(), new Opened(open(key, a, REASON, a.reason()), open(key, a, CANCEL_REASON,
                    a.cancelReason())));
        }
        return opened;
    }

    private static String open(Aead key, Appointment a, String field, StoredText text) {
        if (text.sealed() == null) {
            return text.legacy();
        }
        if (key == null) {
            return null;
        }
        try {
            return new String(key.decrypt(text.sealed(), context(a.clinicId(), a.patientId(), a.id(), field)),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Tampered with or moved from another row. Ids only in the log: the value is PHI.
            log.error("Appointment {} of clinic {} failed decryption (integrity check)", a.id(), a.clinicId());
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "RECORD_UNREADABLE",
                    "The record failed its integrity check");
        }
    }

    private static byte[] context(ClinicId clinic, UUID patient, UUID appointment, String field) {
        return (clinic + "|" + patient + "|appointment/" + appointment + "|" + field)
                .getBytes(StandardCharsets.UTF_8);
    }
}
