package io.healthcarebackend.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a trace id of the service's own making: a fresh random one, always. It is put
 * in the log context (so every log line of the request carries it), echoed in {@code X-Trace-Id},
 * written into every problem response and into every audit event of the request, so a client can
 * neither choose the id its actions are recorded under nor make two requests share one.
 *
 * <p>A well-formed W3C {@code traceparent} of the caller is kept as the request's parent: its trace
 * id and span id go into every log line as {@code trace.parent} ({@code <trace-id>-<span-id>}) and
 * its trace id comes back in {@code X-Trace-Parent}, so the caller's trace and ours can be joined.
 * A malformed one is ignored.
 *
 * <p>With tracing on ({@code platform.tracing}) this id is also the trace id of the request's spans:
 * the HTTP server span is started right after this filter, as a root span that takes the id from the
 * log context, and the caller's traceparent becomes a link of it, never its parent.
 *
 * <p>Being the outermost filter, it also times the request for {@link SlowRequests}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TraceIdFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = TraceIdFilter.class.getName() + ".traceId";
    static final String PARENT_HEADER = "X-Trace-Parent";
    private static final Pattern TRACEPARENT = Pattern.compile(
            "^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    private final SlowRequests slow;

    TraceIdFilter(SlowRequests slow) {
        this.slow = slow;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        String traceId = fresh();
        request.setAttribute(ATTRIBUTE, traceId);
        response.setHeader("X-Trace-Id", traceId);
        MDC.put("trace.id", traceId);
        Matcher parent = parentOf(request.getHeader("traceparent"));
        if (parent != null) {
            response.setHeader(PARENT_HEADER, parent.group(1));
            MDC.put("trace.parent", parent.group(1) + "-" + parent.group(2));
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slow.finished(request, response, System.nanoTime() - started, traceId);
            MDC.remove("trace.id");
            MDC.remove("trace.parent");
        }
    }

    /** The caller's traceparent when well-formed (version, trace id, span id, flags; ids not all zero). */
    private static Matcher parentOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher matcher = TRACEPARENT.matcher(traceparent);
        return matcher.matches() && !matcher.group(1).equals(ZERO_TRACE) && !matcher.group(2).equals(ZERO_SPAN)
                ? matcher : null;
    }

    private static String fresh() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String of(HttpServletRequest request) {
        Object value = request.getAttribute(ATTRIBUTE);
        return value == null ? MDC.get("trace.id") : value.toString();
    }
}
