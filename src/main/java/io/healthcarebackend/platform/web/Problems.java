package io.healthcarebackend.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds RFC 9457 problem documents with the stable {@code code} and the request's {@code traceId}.
 * The one place that shapes errors, for controllers and for the security filter chain alike.
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://healthcarebackend.io/problems/" + code.toLowerCase().replace('_', '-')));
        String traceId = TraceIdFilter.of(request);
        // Spring would fill `instance` with the request path, which echoes whatever the client put
        // in the URL; the trace id identifies the occurrence without repeating input.
        problem.setInstance(URI.create("urn:trace:" + traceId));
        problem.setProperty("code", code);
        problem.setProperty("traceId", traceId);
        return problem;
    }

    public static ProblemDetail withErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Writes a problem straight to the response, for code that runs outside Spring MVC (filters). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status,
            String code, String detail) throws IOException {
        ProblemDetail problem = of(status, code, detail, request);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.putAll(problem.getProperties());
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
