package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rules by user and by clinic, with weights, and what a caller is told of their budgets
 * (ratelimit-test.properties: per user 10 per hour, where a read costs 1 and a "search" 4; per
 * clinic 15 per hour).
 */
class RateLimitRulesTest extends RateLimitedApiTest {

    @Test
    void aSearchCostsMoreThanAReadAndEachUserHasABudgetOfTheirOwn() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String search = "/api/v1/clinics/" + clinic.id;

        assertThat(api.get(search, user.token()).header("RateLimit-Remaining")).isEqualTo("6");
        assertThat(api.get(search, user.token()).header("RateLimit-Remaining")).isEqualTo("2");
        assertThat(api.get("/api/v1/auth/sessions", user.token()).header("RateLimit-Remaining")).isEqualTo("1");
        // 4 more units are not there, 1 is: the search is refused, a read still passes.
        Api.Response refused = api.get(search, user.token());
        assertLimited(refused);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("10");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("1");
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status()).isEqualTo(200);
        assertLimited(api.get("/api/v1/auth/sessions", user.token()));

        // Another user of the same clinic, from the same address, is not affected.
        assertThat(api.get("/api/v1/auth/sessions", clinic.adminToken).status()).isEqualTo(200);
    }

    @Test
    void usersOfOneClinicShareTheClinicsBudgetAndOtherClinicsDoNot() {
        Clinic clinic = newClinic();
        User practitioner = clinic.user("PRACTITIONER");
        String somePractitioner = "/api/v1/practitioners/" + UUID.randomUUID();

        for (int i = 0; i < 8; i++) {
            assertThat(api.get(somePractitioner, clinic.adminToken).status()).isEqualTo(404);
        }
        for (int i = 0; i < 7; i++) {
            assertThat(api.get(somePractitioner, practitioner.token()).status()).isEqualTo(404);
        }
        assertLimited(api.get(somePractitioner, practitioner.token()));
        assertLimited(api.get(somePractitioner, clinic.adminToken));

        Clinic other = newClinic();
        assertThat(api.get(somePractitioner, other.adminToken).status()).isEqualTo(404);
    }

    @Test
    void aCallerSeesTheirBudgetsWithoutSpendingThem() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        api.get("/api/v1/auth/sessions", user.token());

        Api.Response first = api.get("/api/v1/rate-limits", user.token());
        Api.Response second = api.get("/api/v1/rate-limits", user.token());
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.text("mode")).isEqualTo("shared");
        assertThat(first.body().path("weights").path("search").asInt()).isEqualTo(3);
        assertThat(first.body().path("weights").path("write").asInt()).isEqualTo(5);

        JsonNode perUser = item(first, "per-user");
        assertThat(perUser.path("key").asString()).isEqualTo("user");
        assertThat(perUser.path("algorithm").asString()).isEqualTo("fixed-window");
        assertThat(perUser.path("limit").asLong()).isEqualTo(10);
        assertThat(perUser.path("remaining").asLong()).isEqualTo(9);
        assertThat(perUser.path("windowSeconds").asLong()).isEqualTo(3600);
        assertThat(perUser.path("resetSeconds").asLong()).isBetween(1L, 3600L);
        assertThat(item(second, "per-user").path("remaining").asLong()).isEqualTo(9);

        assertThat(item(first, "per-clinic").path("key").asString()).isEqualTo("clinic");
        assertThat(item(first, "login-ip").path("limit").asLong()).isEqualTo(6);
        assertThat(item(first, "user").path("algorithm").asString()).isEqualTo("sliding-window");
    }

    @Test
    void budgetsAreForSignedInCallersOnly() {
        io.healthcarebackend.support.ProblemAssertions.assertProblem(api.get("/api/v1/rate-limits", null), 401,
                "UNAUTHORIZED");
    }

    private static JsonNode item(Api.Response response, String rule) {
        return StreamSupport.stream(response.body().path("items").spliterator(), false)
                .filter(i -> rule.equals(i.path("rule").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + rule + " in " + response));
    }
}
