package io.healthcarebackend.platform.jobs.dashboard;

import io.healthcarebackend.platform.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import no.bekk.dbscheduler.ui.controller.TaskAdminController;
import io.healthcarebackend.platform.security.RequestAudit;
import io.healthcarebackend.platform.security.RequestAudit.JobAction;
import org.slf4j.Logger;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Records every change made through the dashboard in the audit trail before it is carried out
 * ({@code JOB_RETRIED}, {@code JOB_DISCARDED}: if the trail cannot be written the change is not
 * made and the answer is 503), and logs how it ended. Also logs every change made through the dashboard — db-scheduler-ui's run-now, run-group and delete —
 * with who made it, on which execution and how it ended. Task names and instance ids are ids
 * (job payloads are never shown or logged), and they are cut short and stripped of control
 * characters because they come from the request.
 */
final class QueueActionLog implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(QueueActionLog.class);
    /** By handler, not by URL: every spelling of a path that reaches the handler is logged. */
    private static final Map<String, String> ACTIONS = Map.of(
            "runNow", "run-now", "runAllNow", "run-group", "deleteTaskNow", "delete");
    private static final int MAX = 200;

    private final ObjectProvider<RequestAudit> audit;

    QueueActionLog(ObjectProvider<RequestAudit> audit) {
        this.audit = audit;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String action = action(handler);
        RequestAudit recorder = audit.getIfAvailable();
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (action != null && recorder != null && auth != null && auth.getPrincipal() instanceof CurrentUser user) {
            recorder.jobs(user, action.equals("delete") ? JobAction.DISCARDED : JobAction.RETRIED,
                    clean(request.getParameter("name")),
                    action.equals("run-group") ? null : clean(request.getParameter("id")));
        }
        return true;
    }

    private static String action(Object handler) {
        if (!(handler instanceof HandlerMethod method) || method.getBeanType() != TaskAdminController.class) {
            return null;
        }
        return ACTIONS.getOrDefault(method.getMethod().getName(), method.getMethod().getName());
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception failure) {
        String action = action(handler);
        if (action == null) {
            return;
        }
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String actor = auth != null && auth.getPrincipal() instanceof CurrentUser user
                ? user.role() + " " + user.id() : "unknown";
        int status = failure != null && response.getStatus() < 400 ? 500 : response.getStatus();
        log.info("queue-dashboard {}: task={} instance={} onlyFailed={} by={} status={}", action,
                clean(request.getParameter("name")), clean(request.getParameter("id")),
                clean(request.getParameter("onlyFailed")), actor, status);
    }

    static String clean(String value) {
        if (value == null) {
            return "-";
        }
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX ? printable : printable.substring(0, MAX) + "…";
    }
}
