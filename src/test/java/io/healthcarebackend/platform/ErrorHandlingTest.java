package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.ApiTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every client mistake is a 4xx {@code application/problem+json} with a stable code and the
 * request's trace id, never a 500, never an HTML page, and never an echo of the submitted value
 * (values may be PHI).
 */
class ErrorHandlingTest extends ApiTest {

    private static final String CANARY = "CANARY-PHI-12345";
    private static final int ONE_MB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void malformedJsonIsABadRequest() {
        Clinic clinic = newClinic();

        Api.Response response = api.postRaw("/api/v1/patients", clinic.adminToken,
                "{\"givenName\": \"Ada\", \"familyName\": ");

        assertProblem(response, 400, "MALFORMED_REQUEST");
    }

    @Test
    void anEmptyOrNonObjectBodyIsABadRequest() {
        Clinic clinic = newClinic();

        assertProblem(api.postRaw("/api/v1/patients", clinic.adminToken, ""), 400, "MALFORMED_REQUEST");
        assertProblem(api.postRaw("/api/v1/patients", clinic.adminToken, "[1, 2, 3]"), 400, "MALFORMED_REQUEST");
        assertProblem(api.postRaw("/api/v1/patients", clinic.adminToken, "\"just a string\""), 400,
                "MALFORMED_REQUEST");
    }

    @Test
    void aNumberWhereADateBelongsIsABadRequest() {
        Clinic clinic = newClinic();
        Map<String, Object> body = patient();
        body.put("birthDate", 12);

        Api.Response response = api.post("/api/v1/patients", clinic.adminToken, body);

        assertProblem(response, 400, "MALFORMED_REQUEST");
    }

    @Test
    void anObjectWhereTextBelongsIsABadRequest() {
        Clinic clinic = newClinic();
        Map<String, Object> body = patient();
        body.put("givenName", Map.of("first", "Ada"));

        assertProblem(api.post("/api/v1/patients", clinic.adminToken, body), 400, "MALFORMED_REQUEST");
    }

    @Test
    void anUnknownEnumValueIsABadRequest() {
        Clinic clinic = newClinic();
        Map<String, Object> body = patient();
        body.put("sex", "ROBOT");

        assertProblem(api.post("/api/v1/patients", clinic.adminToken, body), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aMissingRequiredFieldIsNamedInTheErrors() {
        Clinic clinic = newClinic();
        Map<String, Object> body = patient();
        body.remove("givenName");
        body.remove("birthDate");

        Api.Response response = api.post("/api/v1/patients", clinic.adminToken, body);

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(fieldsOf(response)).contains("givenName", "birthDate");
        for (JsonNode error : response.body().path("errors")) {
            assertThat(error.path("message").asString()).isNotBlank();
        }
    }

    @Test
    void aDeeplyNestedBodyIsABadRequestNotACrash() {
        Clinic clinic = newClinic();
        String nested = "[".repeat(5000) + "]".repeat(5000);

        Api.Response response = api.postRaw("/api/v1/patients", clinic.adminToken,
                "{\"givenName\": " + nested + ", \"familyName\": \"X\", \"birthDate\": \"1980-01-01\"}");

        assertProblem(response, 400, "MALFORMED_REQUEST");
    }

    @Test
    void aBodyOverOneMegabyteWithAContentLengthIsRefused() {
        Clinic clinic = newClinic();

        Api.Response authenticated = api.postRaw("/api/v1/patients", clinic.adminToken, oversizedPatient());
        Api.Response anonymous = api.postRaw("/api/v1/auth/login", null, oversizedLogin());

        assertProblem(authenticated, 413, "PAYLOAD_TOO_LARGE");
        assertProblem(anonymous, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aChunkedBodyOverOneMegabyteIsCutOff() {
        Clinic clinic = newClinic();

        Api.Response authenticated = send(request("/api/v1/patients", clinic.adminToken)
                .POST(chunked(oversizedPatient())));
        Api.Response anonymous = send(request("/api/v1/auth/login", null).POST(chunked(oversizedLogin())));

        assertProblem(authenticated, 413, "PAYLOAD_TOO_LARGE");
        assertProblem(anonymous, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aSmallChunkedBodyIsAccepted() {
        Clinic clinic = newClinic();

        Api.Response response = send(request("/api/v1/patients", clinic.adminToken)
                .POST(chunked(JSON.writeValueAsString(patient()))));

        assertThat(response.status()).as("%s", response).isEqualTo(201);
    }

    @Test
    void aLimitOutsideOneToTwoHundredIsABadRequest() {
        Clinic clinic = newClinic();

        assertProblem(api.get("/api/v1/patients?limit=0", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/patients?limit=201", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/patients?limit=-1", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/patients?limit=lots", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/users?limit=201", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertThat(api.get("/api/v1/patients?limit=200", clinic.adminToken).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/patients?limit=1", clinic.adminToken).status()).isEqualTo(200);
        for (int limit : new int[] {0, 201, -1}) {
            assertProblem(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("limit", limit)), 400,
                    "INVALID_PARAMETER");
        }
        assertThat(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("limit", 200)).status())
                .isEqualTo(200);
    }

    @Test
    void aTamperedCursorIsABadRequest() {
        Clinic clinic = newClinic();
        String notBase64 = "!!!not-a-cursor!!!";
        String notAnId = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("1; drop table patients".getBytes(StandardCharsets.UTF_8));

        assertProblem(api.get("/api/v1/patients?cursor=" + notBase64, clinic.adminToken), 400, "INVALID_CURSOR");
        assertProblem(api.get("/api/v1/patients?cursor=" + notAnId, clinic.adminToken), 400, "INVALID_CURSOR");
        assertProblem(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("cursor", notAnId)), 400,
                "INVALID_CURSOR");
        assertProblem(api.get("/api/v1/users?cursor=" + notAnId, clinic.adminToken), 400, "INVALID_CURSOR");
    }

    @Test
    void aPathIdThatIsNotAUuidIsABadRequest() {
        Clinic clinic = newClinic();

        assertProblem(api.get("/api/v1/patients/not-a-uuid", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.patch("/api/v1/patients/12345", clinic.adminToken, Map.of("givenName", "X")), 400,
                "INVALID_PARAMETER");
        assertProblem(api.delete("/api/v1/auth/sessions/not-a-uuid", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/clinics/not-a-uuid", clinic.adminToken), 400, "INVALID_PARAMETER");
    }

    @Test
    void aQueryParameterOfTheWrongFormatIsABadRequest() {
        Clinic clinic = newClinic();

        assertProblem(api.get("/api/v1/appointments?from=14.03.1985", clinic.adminToken), 400,
                "INVALID_PARAMETER");
        assertProblem(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("birthDate", "14.03.1985")), 400,
                "MALFORMED_REQUEST");
        assertProblem(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "x".repeat(201))), 400,
                "VALIDATION_FAILED");
    }

    @Test
    void tooManyQueryParametersAreABadRequest() {
        Clinic clinic = newClinic();
        String flood = java.util.stream.IntStream.range(0, 150).mapToObj(i -> "p" + i + "=1")
                .collect(java.util.stream.Collectors.joining("&"));

        assertProblem(api.get("/api/v1/patients?" + flood, clinic.adminToken), 400, "TOO_MANY_PARAMETERS");
    }

    @Test
    void anUnknownRouteIsAProblemNotFound() {
        Clinic clinic = newClinic();

        assertProblem(api.get("/api/v1/no-such-thing", clinic.adminToken), 404, "NOT_FOUND");
        assertProblem(api.get("/api/v2/patients", clinic.adminToken), 404, "NOT_FOUND");
    }

    @Test
    void anUnknownRouteIsAProblemEvenForABrowser() {
        Clinic clinic = newClinic();

        Api.Response response = send(request("/api/v1/no-such-thing", clinic.adminToken)
                .setHeader("Accept", "text/html").GET());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.raw().body()).doesNotContainIgnoringCase("<html");
    }

    @Test
    void aWrongMethodIsMethodNotAllowed() {
        Clinic clinic = newClinic();
        String id = clinic.patient();

        // (DELETE is erasure since issue #3; PUT is the method a patient record does not have.)
        Api.Response put = api.put("/api/v1/patients/" + id, clinic.adminToken, patient());

        assertProblem(put, 405, "METHOD_NOT_ALLOWED");
        assertThat(put.header("Allow")).contains("GET").contains("PATCH").contains("DELETE");
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(200);
    }

    @Test
    void anUnsupportedContentTypeIsAProblem() {
        Clinic clinic = newClinic();

        Api.Response response = send(request("/api/v1/patients", clinic.adminToken)
                .setHeader("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(patient()))));

        assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void urlsTheFirewallRejectsAreProblemsNotHtmlPages() {
        Clinic clinic = newClinic();

        for (String path : List.of("/api/v1//patients", "/api/v1/patients/%2e%2e/users",
                "/api/v1/patients;jsessionid=abc", "/api/v1/patients/%25", "/api/v1/./patients")) {
            Api.Response response = send(request(path, clinic.adminToken).GET());
            assertProblem(response, 400, "BAD_REQUEST");
            assertThat(response.raw().body()).as(path).doesNotContainIgnoringCase("<html");
        }
    }

    @Test
    void urlsTheServletContainerRejectsAreProblemsNotHtmlPages() {
        Clinic clinic = newClinic();

        SoftAssertions softly = new SoftAssertions();
        for (String path : List.of("/api/v1/patients%2F..%2Fusers", "/api/v1/patients%2fx", "/api/v1/patients/%5C..",
                "/api/v1/patients/%00")) {
            Api.Response response = send(request(path, clinic.adminToken).GET());
            softly.assertThat(response.status()).as("%s: %s", path, response).isEqualTo(400);
            softly.assertThat(response.header("Content-Type")).as("%s: %s", path, response)
                    .startsWith("application/problem+json");
            softly.assertThat(response.raw().body()).as(path).doesNotContainIgnoringCase("<html");
        }
        softly.assertAll();
    }

    @Test
    void noErrorEchoesTheSubmittedValue() {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        List<Api.Response> responses = new ArrayList<>();
        for (String field : List.of("birthDate", "sex", "email", "phone")) {
            Map<String, Object> body = patient();
            body.put(field, CANARY);
            responses.add(api.post("/api/v1/patients", clinic.adminToken, body));
            responses.add(api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of(field, CANARY)));
        }
        Map<String, Object> deep = patient();
        deep.put("address", Map.of("country", CANARY));
        responses.add(api.post("/api/v1/patients", clinic.adminToken, deep));
        responses.add(api.postRaw("/api/v1/patients", clinic.adminToken, "{\"givenName\": \"" + CANARY + "\", ]"));
        responses.add(api.postRaw("/api/v1/patients", clinic.adminToken, "{\"givenName\": " + CANARY + "}"));
        responses.add(api.get("/api/v1/patients?birthDate=" + CANARY, clinic.adminToken));
        responses.add(api.get("/api/v1/patients?limit=" + CANARY, clinic.adminToken));
        responses.add(api.get("/api/v1/patients?cursor=" + CANARY, clinic.adminToken));
        responses.add(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("birthDate", CANARY)));
        responses.add(api.post("/api/v1/patients/search", clinic.adminToken, Map.of("cursor", CANARY)));
        responses.add(api.post("/api/v1/auth/login", null, Map.of("email", CANARY + "@x.invalid",
                "password", CANARY + "-password")));
        responses.add(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", CANARY)));
        responses.add(api.get("/api/v1/patients", CANARY));

        for (Api.Response response : responses) {
            assertThat(response.status()).as("%s", response).isBetween(400, 499);
            assertThat(response.header("Content-Type")).as("%s", response).startsWith("application/problem+json");
            assertThat(response.raw().body()).doesNotContain("CANARY").doesNotContain("PHI-12345");
            assertThat(response.raw().headers().map().toString()).doesNotContain(CANARY);
        }
    }

    /**
     * The handler names the parameter, never its value ("Parameter 'id' has a wrong format"); the
     * problem's {@code instance} must not bring the value back by quoting the request path.
     */
    @Test
    void aRejectedPathValueIsNotEchoed() {
        Clinic clinic = newClinic();

        Api.Response response = api.get("/api/v1/patients/" + CANARY, clinic.adminToken);

        assertProblem(response, 400, "INVALID_PARAMETER");
        assertThat(response.raw().body()).doesNotContain("CANARY").doesNotContain("PHI-12345");
    }

    @Test
    void theTraceIdHeaderMatchesTheProblemsTraceId() {
        Clinic clinic = newClinic();

        Api.Response notFound = api.get("/api/v1/patients/" + UUID.randomUUID(), clinic.adminToken);
        Api.Response unauthorized = api.get("/api/v1/patients", null);
        Api.Response forbidden = api.get("/api/v1/patients", platformToken());
        Api.Response ok = api.get("/api/v1/patients", clinic.adminToken);

        for (Api.Response problem : List.of(notFound, unauthorized, forbidden)) {
            assertThat(problem.status()).isBetween(400, 499);
            assertThat(problem.text("traceId")).matches("[0-9a-f]{32}").isEqualTo(problem.header("X-Trace-Id"));
        }
        assertThat(ok.header("X-Trace-Id")).matches("[0-9a-f]{32}");
        assertThat(List.of(notFound.text("traceId"), unauthorized.text("traceId"), forbidden.text("traceId"),
                ok.header("X-Trace-Id"))).doesNotHaveDuplicates();
    }

    @Test
    void aClientsTraceparentIsKeptAsTheParentButEveryRequestGetsTheServicesOwnTraceId() {
        Clinic clinic = newClinic();
        String chosen = "4bf92f3577b34da6a3ce929d0e0e4736";
        String traceparent = "00-" + chosen + "-00f067aa0ba902b7-01";
        String patient = clinic.patient();

        Api.Response problem = send(request("/api/v1/patients/" + UUID.randomUUID(), clinic.adminToken)
                .header("traceparent", traceparent).GET());
        Api.Response first = send(request("/api/v1/patients/" + patient, clinic.adminToken)
                .header("traceparent", traceparent).GET());
        Api.Response second = send(request("/api/v1/patients/" + patient, clinic.adminToken)
                .header("traceparent", traceparent).GET());

        assertProblem(problem, 404, "NOT_FOUND");
        assertThat(problem.text("traceId")).isEqualTo(problem.header("X-Trace-Id"));
        List<String> ids = List.of(problem.header("X-Trace-Id"), first.header("X-Trace-Id"),
                second.header("X-Trace-Id"));
        assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{32}")).doesNotHaveDuplicates().doesNotContain(chosen);
        for (Api.Response response : List.of(problem, first, second)) {
            assertThat(response.header("X-Trace-Parent")).as("the parent is kept").isEqualTo(chosen);
        }
        List<String> audited = AuditLog.eventsOfPatient(patient).stream().filter(e -> e.get("action").equals("READ"))
                .map(e -> e.get("trace_id")).toList();
        assertThat(audited).containsExactly(first.header("X-Trace-Id"), second.header("X-Trace-Id"));
        assertThat(AuditLog.eventsWithTraceId(chosen)).as("the client's trace id is in no audit event").isEmpty();
    }

    @Test
    void aMalformedTraceparentIsNoParent() {
        for (String traceparent : List.of("00-not-a-trace-id-01", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01")) {
            Api.Response response = send(request("/api/v1/patients", null).header("traceparent", traceparent)
                    .GET());
            assertProblem(response, 401, "UNAUTHORIZED");
            assertThat(response.text("traceId")).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32))
                    .isNotEqualToIgnoringCase("4BF92F3577B34DA6A3CE929D0E0E4736");
            assertThat(response.header("X-Trace-Parent")).as(traceparent).isNull();
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    /** The problem+json contract of api.md, plus "never a 500". */
    private static Map<String, Object> patient() {
        Map<String, Object> body = new HashMap<>();
        body.put("givenName", "Ada");
        body.put("familyName", "Lovelace");
        body.put("birthDate", "1990-12-10");
        return body;
    }

    private static String oversizedPatient() {
        return "{\"givenName\": \"" + "a".repeat(ONE_MB + 100_000)
                + "\", \"familyName\": \"Lovelace\", \"birthDate\": \"1990-12-10\"}";
    }

    private static String oversizedLogin() {
        return "{\"email\": \"someone@tests.invalid\", \"password\": \"" + "p".repeat(ONE_MB + 100_000) + "\"}";
    }

    private static List<String> fieldsOf(Api.Response problem) {
        List<String> fields = new ArrayList<>();
        problem.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    /** A body of unknown length, which java.net.http sends with chunked transfer encoding. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Api.Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (RuntimeException e) {
                body = JSON.createObjectNode().put("_raw", response.body());
            }
            return new Api.Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
