package io.healthcarebackend.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs the API's flows with canary PHI values and proves none of them reaches a log line or a
 * Redis value; and that the masking layer catches a careless log statement.
 */
@ExtendWith(OutputCaptureExtension.class)
class PhiLeakTest extends ApiTest {

    private static final String GIVEN = "Canarygivenname";
    private static final String FAMILY = "Canaryfamilyname";
    private static final String EMAIL = "canary.person@canary-mail.test";
    private static final String PHONE = "+49 151 99887766";
    private static final String STREET = "Canarystreet 42";
    private static final String MRN = "CANARY-MRN-777";
    private static final String REASON = "CANARY-REASON-SYMPTOM";
    private static final String CANCEL = "CANARY-CANCEL-WHY";
    private static final String PASSWORD = "canary-password-secret";
    private static final List<String> CANARIES = List.of(GIVEN, FAMILY, EMAIL, PHONE, STREET, MRN, REASON,
            CANCEL, PASSWORD, "1961-07-04");

    @Autowired
    StringRedisTemplate redis;

    @Test
    void noCanaryReachesTheLogsOrRedis(CapturedOutput output) {
        Clinic clinic = newClinic();
        String token = clinic.adminToken;
        Api.Response created = api.post("/api/v1/patients", token, Map.of("givenName", GIVEN, "familyName", FAMILY,
                "birthDate", "1961-07-04", "email", EMAIL, "phone", PHONE, "mrn", MRN,
                "address", Map.of("line", STREET, "city", "Canarycity", "country", "DE")));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String patient = created.text("id");
        List<Api.Response> responses = new ArrayList<>();
        responses.add(api.get("/api/v1/patients/" + patient, token));
        responses.add(api.post("/api/v1/patients/search", token, Map.of("name", GIVEN)));
        responses.add(api.post("/api/v1/patients/search", token, Map.of("mrn", MRN, "birthDate", "1961-07-04")));
        responses.add(api.patch("/api/v1/patients/" + patient, token, Map.of("phone", PHONE, "email", EMAIL)));
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(2, 9, 0);
        Api.Response booked = api.post("/api/v1/appointments", token, Map.of("patientId", patient,
                "practitionerId", practitioner, "start", start.toString(),
                "end", start.plusSeconds(1800).toString(), "reason", REASON), Map.of("Idempotency-Key", "k-1"));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        responses.add(api.get("/api/v1/appointments?patientId=" + patient, token));
        responses.add(api.post("/api/v1/appointments/" + booked.text("id") + "/cancel", token,
                Map.of("reason", CANCEL)));
        // Mistakes carrying PHI: wrong types, broken JSON, a failed login, a bogus path.
        responses.add(api.post("/api/v1/patients", token, Map.of("givenName", GIVEN, "familyName", FAMILY,
                "birthDate", EMAIL)));
        responses.add(api.postRaw("/api/v1/patients", token, "{\"givenName\": \"" + GIVEN + "\", \"phone\": " + PHONE));
        responses.add(api.post("/api/v1/auth/login", null, Map.of("email", EMAIL, "password", PASSWORD)));
        responses.add(api.get("/api/v1/patients/" + MRN, token));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isLessThan(500));

        LoggerFactory.getLogger(PhiLeakTest.class).warn("careless log line with {} and {}", EMAIL, PHONE);

        String logs = output.getAll();
        assertThat(logs).contains("careless log line with [EMAIL] and [PHONE]");
        for (String canary : CANARIES) {
            assertThat(logs).as("log output contains the canary %s", canary).doesNotContain(canary);
        }
        assertThat(redisValues()).as("Redis values").noneMatch(v -> CANARIES.stream().anyMatch(v::contains));
    }

    private List<String> redisValues() {
        List<String> values = new ArrayList<>();
        try (var keys = redis.scan(ScanOptions.scanOptions().match(TestDatabase.REDIS_PREFIX + "*").count(500).build())) {
            keys.forEachRemaining(key -> {
                values.add(key);
                DataType type = redis.type(key);
                if (type == DataType.STRING) {
                    values.add(String.valueOf(redis.opsForValue().get(key)));
                } else if (type == DataType.HASH) {
                    redis.opsForHash().entries(key).forEach((k, v) -> values.add(k + "=" + v));
                } else if (type == DataType.SET) {
                    Set<String> members = redis.opsForSet().members(key);
                    if (members != null) {
                        values.addAll(members);
                    }
                }
            });
        }
        assertThat(values).as("the flows left sessions in Redis").isNotEmpty();
        return values;
    }
}
