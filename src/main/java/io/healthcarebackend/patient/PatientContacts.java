package io.healthcarebackend.patient;

import io.healthcarebackend.platform.ClinicId;
import java.util.Optional;
import java.util.UUID;

/**
 * How a patient can be reached, for confirmations and reminders: only the e-mail address and
 * phone number are decrypted, nothing else of the record. Empty when the patient does not exist in
 * the clinic or was erased. Each use is a disclosure to a message provider, recorded by the caller
 * (the notification module's delivery records).
 */
public interface PatientContacts {

    Optional<Contact> contactOf(ClinicId clinic, UUID patientId);

    /** Either may be null. */
    record Contact(String email, String phone) {
    }
}
