package io.healthcarebackend;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import org.junit.jupiter.api.Test;

class SmokeTest extends ApiTest {

    @Test
    void healthReportsDatabaseAndRedis() {
        Api.Response health = api.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("ok");
        assertThat(health.text("database")).isEqualTo("connected");
        assertThat(health.text("redis")).isEqualTo("connected");
        assertThat(health.body().path("uptime").isNumber()).isTrue();
    }

    @Test
    void aClinicAdminCanLogInAndCreateAPatient() {
        Clinic clinic = newClinic();
        String patient = clinic.patient("Ada", "Lovelace", "1990-12-10");
        Api.Response read = api.get("/api/v1/patients/" + patient, clinic.adminToken);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("familyName")).isEqualTo("Lovelace");
    }
}
