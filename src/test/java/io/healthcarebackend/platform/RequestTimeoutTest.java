package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A request has a time budget (here 1 s): database work still running when it is spent — a lock
 * wait here, held by another connection — is cancelled, the answer is 503 REQUEST_TIMEOUT as
 * problem+json, and a write that timed out changed nothing.
 */
@TestPropertySource(properties = "app.http.request-timeout=1s")
class RequestTimeoutTest extends ApiTest {

    @Test
    void aRequestStuckPastItsBudgetIsStoppedWithA503AndChangesNothing() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient("Tim", "Eout", "1970-01-01");

        Api.Response read;
        Api.Response write;
        try (Connection blocker = TestDatabase.superuserOnTestDb(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("lock table patients in access exclusive mode");

            read = api.get("/api/v1/patients/" + patient, clinic.adminToken);
            write = api.patch("/api/v1/patients/" + patient, clinic.adminToken, Map.of("givenName", "Changed"));

            blocker.rollback();
        }

        for (Api.Response stopped : new Api.Response[] {read, write}) {
            assertThat(stopped.status()).as("%s", stopped).isEqualTo(503);
            assertThat(stopped.header("Content-Type")).startsWith("application/problem+json");
            assertThat(stopped.text("code")).isEqualTo("REQUEST_TIMEOUT");
        }
        Api.Response after = api.get("/api/v1/patients/" + patient, clinic.adminToken);
        assertThat(after.status()).as("%s", after).isEqualTo(200);
        assertThat(after.text("givenName")).isEqualTo("Tim");
    }

    @Test
    void requestsWithinTheBudgetAreUnaffected() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();

        assertThat(api.get("/api/v1/patients/" + patient, clinic.adminToken).status()).isEqualTo(200);
    }
}
