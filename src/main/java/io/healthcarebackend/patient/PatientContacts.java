package io.healthcarebackend.patient;

import io.healthcarebackend.platform.ClinicId;
import java.util.Optional;
import java.util.UUID;

/**
 * How a patient can be reached, for confirmations and reminders: only the e-mail address, phone
 * number and push device token are decrypted, nothing else of the record. Empty when the patient
 * does not exist in the clinic or was erased. Each use is a disclosure to a message provider,
 * recorded by the caller (the notification module's delivery records).
 */
public interface PatientContacts {

    Optional<Contact> contactOf(ClinicId clinic, UUID patientId);

    /**
     * Any may be null. {@code pushToken} is the registration token of the patient's app (Firebase
     * Cloud Messaging), set through {@code PUT /api/v1/patients/{id}/push-token}: a credential-like
     * identifier, to be handed to the push provider only, never logged.
     */
    record Contact(String email, String phone, String pushToken) {

        /** Which fields are present, never their values: a contact that reaches a log shows no PHI. */
        @Override
        public String toString() {
            return "Contact[email=" + present(email) + ", phone=" + present(phone) + ", pushToken="
                    + present(pushToken) + "]";
        }

        private static String present(String value) {
            return value == null ? "none" : "(redacted)";
        }
    }
}
