package io.healthcarebackend.platform;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A request refused for the caller's role is audited as ACCESS_DENIED, in its own transaction so
 * the event outlives the failed request, naming the route template and never the raw URL.
 */
class AccessDeniedAuditTest extends ApiTest {

    @Test
    void aRoleThatIsNotAllowedIsAuditedAsDeniedWithTheRouteTemplate() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        Trace trace = Trace.next();

        Api.Response denied = api.post("/api/v1/practitioners", receptionist.token(),
                Map.of("givenName", "Doc", "familyName", "Tor"), trace.headers());

        assertProblem(denied, 403, "FORBIDDEN");
        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "ACCESS_DENIED").containsEntry("outcome", "DENIED")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", receptionist.id())
                .containsEntry("actor_role", "RECEPTIONIST")
                .containsEntry("resource_type", "POST /api/v1/practitioners").containsEntry("ip", "127.0.0.1")
                .containsEntry("user_agent", AuditLog.USER_AGENT).containsEntry("trace_id", trace.id());
        assertThat(event.get("resource_id")).isNull();
    }

    @Test
    void theTargetIdOfTheRouteIsRecordedButNeverTheQueryString() {
        Clinic clinic = newClinic();
        User practitioner = clinic.user("PRACTITIONER");
        User victim = clinic.user("RECEPTIONIST");
        String canary = "Canary" + UUID.randomUUID().toString().substring(0, 8);
        Trace patch = Trace.next();
        Trace list = Trace.next();

        assertProblem(api.patch("/api/v1/users/" + victim.id() + "?note=" + canary, practitioner.token(),
                Map.of("role", "CLINIC_ADMIN"), patch.headers()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/users?name=" + canary, practitioner.token(), list.headers()), 403,
                "FORBIDDEN");

        assertThat(single(patch)).containsEntry("resource_type", "PATCH /api/v1/users/{id}")
                .containsEntry("resource_id", victim.id()).containsEntry("actor_id", practitioner.id());
        assertThat(single(list)).containsEntry("resource_type", "GET /api/v1/users");
        assertThat(AuditLog.everyValue()).noneMatch(v -> v.contains(canary));
    }

    @Test
    void aRefusalRaisedByTheServiceItselfIsAuditedToo() throws Exception {
        Clinic clinic = newClinic();
        String platform = platformToken();
        Trace trace = Trace.next();

        Api.Response denied = api.post("/api/v1/clinics/" + clinic.id + "/users", platform,
                Map.of("email", "x-" + UUID.randomUUID() + "@tests.invalid", "name", "X", "role", "RECEPTIONIST",
                        "password", PASSWORD), trace.headers());

        assertProblem(denied, 403, "SUPPORT_GRANT_REQUIRED");
        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "ACCESS_DENIED").containsEntry("outcome", "DENIED")
                .containsEntry("actor_id", SignedJWT.parse(platform).getJWTClaimsSet().getSubject())
                .containsEntry("actor_role", "PLATFORM_ADMIN")
                .containsEntry("resource_type", "POST /api/v1/clinics/{clinicId}/users");
        assertThat(event.get("clinic_id")).as("a platform-level event").isNull();
    }

    @Test
    void aDeniedRequestIsAnsweredWith503WhenTheDenialCannotBeAudited() throws Exception {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        Trace trace = Trace.next();

        Api.Response denied;
        try (AutoCloseable outage = AuditLog.unwritable()) {
            denied = api.post("/api/v1/practitioners", receptionist.token(),
                    Map.of("givenName", "Doc", "familyName", "Tor"), trace.headers());
        }

        assertProblem(denied, 503, "AUDIT_UNAVAILABLE");
        assertThat(AuditLog.eventsOf(trace)).isEmpty();
    }

    private static Map<String, String> single(Trace trace) {
        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).as("audit events of trace %s", trace.id()).hasSize(1);
        return events.getFirst();
    }
}
