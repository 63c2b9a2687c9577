package io.healthcarebackend.patient.internal;

import com.google.crypto.tink.Aead;
import io.healthcarebackend.platform.ClinicId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encrypts and decrypts the PHI fields of a patient with the patient's data key. The associated
 * data of every value is "clinic|patient|field": a ciphertext moved to another row, clinic or
 * column fails authentication instead of showing up as someone else's data.
 */
@Component
class PhiCodec {

    private static final String PUSH_TOKEN = "pushToken";

    private final JsonMapper json;

    PhiCodec(JsonMapper json) {
        this.json = json;
    }

    StoredPatient.Sealed seal(Patient p, Aead key) {
        Binder b = new Binder(key, p.clinicId(), p.id());
        return new StoredPatient.Sealed(b.seal("givenName", p.givenName()), b.seal("familyName", p.familyName()),
                b.seal("birthDate", p.birthDate().toString()), b.seal("sex", p.sex() == null ? null : p.sex().name()),
                b.seal("email", p.email()), b.seal("phone", p.phone()),
                b.seal("address", p.address() == null ? null : json.writeValueAsString(p.address())),
                b.seal("mrn", p.mrn()));
    }

    /** Throws {@link GeneralSecurityException} when a value is not authentic for this patient and field. */
    Patient open(StoredPatient row, Aead key) throws GeneralSecurityException {
        Binder b = new Binder(key, row.clinicId(), row.id());
        StoredPatient.Sealed s = row.fields();
        String sex = b.open("sex", s.sex());
        String address = b.open("address", s.address());
        return new Patient(row.id(), row.clinicId(), b.open("givenName", s.givenName()),
                b.open("familyName", s.familyName()), LocalDate.parse(b.open("birthDate", s.birthDate())),
                sex == null ? null : Sex.valueOf(sex), b.open("email", s.email()), b.open("phone", s.phone()),
                address == null ? null : json.readValue(address, Address.class), b.open("mrn", s.mrn()),
                row.version(), row.createdAt(), row.updatedAt(), row.restricted());
    }

    /** The device token of the patient's app, bound to its patient and field like every PHI value. */
    byte[] sealPushToken(ClinicId clinic, UUID patient, String token, Aead key) {
        return new Binder(key, clinic, patient).seal(PUSH_TOKEN, token);
    }

    /** Only the contact fields a reminder needs; the rest of the record stays sealed. */
    io.healthcarebackend.patient.PatientContacts.Contact openContact(StoredPatient row, Aead key)
            throws GeneralSecurityException {
        Binder b = new Binder(key, row.clinicId(), row.id());
        return new io.healthcarebackend.patient.PatientContacts.Contact(b.open("email", row.fields().email()),
                b.open("phone", row.fields().phone()), b.open(PUSH_TOKEN, row.pushToken()));
    }

    private record Binder(Aead key, ClinicId clinic, UUID patient) {

        byte[] seal(String field, String value) {
            if (value == null) {
                return null;
            }
            try {
                return key.encrypt(value.getBytes(StandardCharsets.UTF_8), context(field));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot encrypt field " + field);
            }
        }

        String open(String field, byte[] value) throws GeneralSecurityException {
            return value == null ? null : new String(key.decrypt(value, context(field)), StandardCharsets.UTF_8);
        }

        private byte[] context(String field) {
            return (clinic + "|" + patient + "|" + field).getBytes(StandardCharsets.UTF_8);
        }
    }
}
