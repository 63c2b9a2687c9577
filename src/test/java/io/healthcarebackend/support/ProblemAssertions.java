package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error contract of api.md: every error is problem+json with a stable code and the request's
 * trace id, and never carries a stack trace.
 */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("content type of %s", response)
                .startsWith("application/problem+json");
        assertThat(response.text("code")).as("code of %s", response).isEqualTo(code);
        assertThat(response.body().path("status").asInt()).as("status field of %s", response).isEqualTo(status);
        assertThat(response.text("title")).as("title of %s", response).isNotBlank();
        assertThat(response.text("traceId")).as("traceId of %s", response).isNotBlank()
                .isEqualTo(response.header("X-Trace-Id"));
        assertThat(response.raw().body()).doesNotContain("Exception").doesNotContain("at io.healthcarebackend");
    }
}
