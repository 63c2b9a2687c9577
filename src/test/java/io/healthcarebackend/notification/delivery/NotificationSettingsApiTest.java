package io.healthcarebackend.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationSettingsApiTest extends ApiTest {

    private String path(Clinic clinic) {
        return "/api/v1/clinics/" + clinic.id + "/notification-settings";
    }

    @Test
    void aClinicStartsWithSafeDefaults() {
        Clinic clinic = newClinic();
        Api.Response got = api.get(path(clinic), clinic.adminToken);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().path("confirmations").asBoolean()).isTrue();
        assertThat(got.body().path("reminderOffsetsMinutes").toString()).isEqualTo("[1440,120]");
        assertThat(got.body().path("quietHours").isNull()).isTrue();
        assertThat(got.body().path("channels").toString()).isEqualTo("[\"EMAIL\",\"SMS\",\"PUSH\"]");
    }

    @Test
    void anAdministratorChangesTheSettingsAndTheChangeIsKept() {
        Clinic clinic = newClinic();
        Map<String, Object> body = new HashMap<>(Map.of("confirmations", false, "reminderOffsetsMinutes",
                List.of(2880, 60), "quietHours", Map.of("start", "21:00", "end", "07:30"), "channels", List.of("SMS")));
        body.put("templates", Map.of("REMINDER.SMS", Map.of("body", "{{clinic}} {{date}} {{time}}")));
        Api.Response put = api.put(path(clinic), clinic.adminToken, body);
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        Api.Response got = api.get(path(clinic), clinic.adminToken);
        assertThat(got.body().path("confirmations").asBoolean()).isFalse();
        assertThat(got.body().path("reminderOffsetsMinutes").toString()).isEqualTo("[2880,60]");
        assertThat(got.body().path("quietHours").path("start").asString()).startsWith("21:00");
        assertThat(got.body().path("channels").toString()).isEqualTo("[\"SMS\"]");
        assertThat(got.body().path("templates").path("REMINDER.SMS").path("body").asString())
                .isEqualTo("{{clinic}} {{date}} {{time}}");
    }

    @Test
    void aTemplateMayNotAskForClinicalOrPersonalData() {
        Clinic clinic = newClinic();
        Map<String, Object> body = new HashMap<>(Map.of("confirmations", true, "reminderOffsetsMinutes",
                List.of(1440), "channels", List.of("EMAIL")));
        body.put("templates", Map.of("REMINDER.EMAIL", Map.of("subject", "Hi {{patientName}}",
                "body", "About your {{reason}}")));
        Api.Response put = api.put(path(clinic), clinic.adminToken, body);
        assertThat(put.status()).isEqualTo(400);
        assertThat(put.text("code")).isEqualTo("INVALID_NOTIFICATION_SETTINGS");
        assertThat(put.text("detail")).contains("{{patientName}}").contains("{{reason}}");
        assertThat(api.get(path(clinic), clinic.adminToken).body().path("templates").isEmpty())
                .as("nothing changed").isTrue();
    }

    @Test
    void nonsenseIsRefusedWithoutChangingAnything() {
        Clinic clinic = newClinic();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(0), "channels", List.of("EMAIL")),
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(60, 60), "channels", List.of("EMAIL")),
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(60), "channels", List.of("FAX")),
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(60), "channels", List.of("SMS"),
                        "quietHours", Map.of("start", "22:00", "end", "22:00")),
                Map.of("reminderOffsetsMinutes", List.of(60), "channels", List.of("SMS")))) {
            Api.Response put = api.put(path(clinic), clinic.adminToken, bad);
            assertThat(put.status()).as("%s -> %s", bad, put).isEqualTo(400);
        }
        assertThat(api.get(path(clinic), clinic.adminToken).body().path("reminderOffsetsMinutes").toString())
                .isEqualTo("[1440,120]");
    }

    @Test
    void onlyTheClinicsAdministratorsMayChangeItAndOtherClinicsDoNotExist() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        Map<String, Object> body = Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(60),
                "channels", List.of("SMS"));
        assertThat(api.put(path(clinic), receptionist.token(), body).status()).isEqualTo(403);
        assertThat(api.get(path(clinic), receptionist.token()).status()).isEqualTo(403);
        assertThat(api.put(path(clinic), other.adminToken, body).status()).isEqualTo(404);
        assertThat(api.get(path(clinic), null).status()).isEqualTo(401);
    }
}
