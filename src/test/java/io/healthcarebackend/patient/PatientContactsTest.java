package io.healthcarebackend.patient;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.patient.PatientContacts.Contact;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Tenancy;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the notification module gets to reach a patient: e-mail, phone and the app's push token,
 * decrypted in the caller's clinic transaction; nothing for an erased patient, another clinic's
 * patient, or a token whose ciphertext belongs to someone else.
 */
class PatientContactsTest extends ApiTest {

    @Autowired
    PatientContacts contacts;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void theContactCarriesTheCurrentPushTokenAndNoneOnceRemoved() {
        Clinic clinic = newClinic();
        String id = patientWithContact(clinic);

        assertThat(contactOf(clinic, id)).contains(new Contact("reach.me@example.invalid", "+49 30 1234567", null));
        put(clinic, id, "device-1:APA91bFirst_token-value");
        assertThat(contactOf(clinic, id).map(Contact::pushToken)).contains("device-1:APA91bFirst_token-value");
        put(clinic, id, "device-1:APA91bRotated_token-value");
        assertThat(contactOf(clinic, id)).contains(new Contact("reach.me@example.invalid", "+49 30 1234567",
                "device-1:APA91bRotated_token-value"));
        assertThat(api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("email", "new@example.invalid"))
                .status()).isEqualTo(200);
        assertThat(contactOf(clinic, id)).as("a PATCH of the record keeps the token").contains(
                new Contact("new@example.invalid", "+49 30 1234567", "device-1:APA91bRotated_token-value"));
        assertThat(api.delete("/api/v1/patients/" + id + "/push-token", clinic.adminToken).status()).isEqualTo(204);
        assertThat(contactOf(clinic, id)).contains(new Contact("new@example.invalid", "+49 30 1234567", null));
    }

    @Test
    void anErasedPatientOrAnotherClinicsPatientHasNoContact() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String id = patientWithContact(clinic);
        put(clinic, id, "device-2:APA91bToken");

        assertThat(contactOf(other, id)).isEmpty();
        assertThat(api.delete("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(204);
        assertThat(contactOf(clinic, id)).isEmpty();
    }

    @Test
    void aTokenCiphertextCopiedFromAnotherPatientOrColumnIsNotHandedOut() throws Exception {
        Clinic clinic = newClinic();
        String victim = patientWithContact(clinic);
        String target = patientWithContact(clinic);
        String moved = patientWithContact(clinic);
        put(clinic, victim, "device-3:APA91bVictim");

        superuser("update patients set push_token = (select push_token from patients where id = ?) where id = ?",
                victim, target);
        superuser("update patients set push_token = email where id = ?", moved);

        assertThat(contactOf(clinic, target)).as("another patient's token").isEmpty();
        assertThat(contactOf(clinic, moved)).as("the e-mail's ciphertext as a token").isEmpty();
        assertThat(contactOf(clinic, victim).map(Contact::pushToken)).contains("device-3:APA91bVictim");
    }

    @Test
    void aContactShownInALogRevealsNoValue() {
        assertThat(new Contact("reach.me@example.invalid", "+49 30 1234567", "device:APA91bSecret").toString())
                .doesNotContain("reach.me").doesNotContain("1234567").doesNotContain("APA91bSecret");
    }

    private Optional<Contact> contactOf(Clinic clinic, String patient) {
        ClinicId id = new ClinicId(UUID.fromString(clinic.id));
        TransactionTemplate tx = new TransactionTemplate(transactions);
        return Tenancy.callAs(id, () -> tx.execute(status -> contacts.contactOf(id, UUID.fromString(patient))));
    }

    private String patientWithContact(Clinic clinic) {
        Api.Response created = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "Reach",
                "familyName", "Able", "birthDate", "1985-03-04", "email", "reach.me@example.invalid",
                "phone", "+49 30 1234567"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.text("id");
    }

    private void put(Clinic clinic, String patient, String token) {
        Api.Response set = api.put("/api/v1/patients/" + patient + "/push-token", clinic.adminToken,
                Map.of("token", token));
        assertThat(set.status()).as("%s", set).isEqualTo(204);
    }

    private static void superuser(String sql, String... ids) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.length; i++) {
                s.setObject(i + 1, UUID.fromString(ids[i]));
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
