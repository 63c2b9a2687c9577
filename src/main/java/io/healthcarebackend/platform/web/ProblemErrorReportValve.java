package io.healthcarebackend.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Tomcat rejects some URLs (encoded slashes, NUL bytes, bad escapes) before any filter runs, and
 * would answer with its HTML error page. This valve answers those with problem+json instead, in
 * the same shape as every other error, without echoing the request.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable error) {
        int status = response.getStatus();
        if (status < 400 || response.isCommitted() || response.getContentWritten() > 0) {
            return;
        }
        var outage = status == 500 ? Outages.of(error) : java.util.Optional.<Outages.Outage>empty();
        if (outage.isPresent()) {
            // An outage that escaped before any error page could render it: the same 503 as anywhere.
            status = 503;
            response.setStatus(status);
            response.setHeader("Retry-After", "1");
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved == null ? "Error" : resolved.getReasonPhrase();
        String code = outage.map(Outages.Outage::code)
                .orElse(status == 404 ? "NOT_FOUND" : status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR");
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        String traceId = HexFormat.of().formatHex(bytes);
        String body = "{\"type\":\"https://healthcarebackend.io/problems/" + code.toLowerCase().replace('_', '-')
                + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + title
                + "\",\"instance\":\"urn:trace:" + traceId + "\",\"code\":\"" + code + "\",\"traceId\":\"" + traceId
                + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing left to tell it
        }
    }

    /** Swaps Tomcat's HTML error valve for this one once the embedded server exists. */
    @Component
    static class Installer implements ApplicationListener<WebServerInitializedEvent> {
        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            if (event.getWebServer() instanceof TomcatWebServer tomcat) {
                Pipeline pipeline = tomcat.getTomcat().getHost().getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        pipeline.removeValve(valve);
                    }
                }
                pipeline.addValve(new ProblemErrorReportValve());
            }
        }
    }
}
