package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.ratelimit.ClientIp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

@Service
class AuditRecorder implements AuditTrail {

    private static final int MAX_USER_AGENT = 300;
    /** Set on a request once a module recorded its failure itself, so the generic failure event is not added. */
    static final String FAILURE_RECORDED = AuditRecorder.class.getName() + ".failureRecorded";

    private final AuditRows rows;
    private final AuditWriter writer;
    private final EmergencyGrants grants;
    private final Clock clock;
    private final long durableTimeoutMillis;
    private final Counter recorded;
    private final Counter failed;

    private final ClientIp clientIp;

    AuditRecorder(AuditRows rows, AuditWriter writer, EmergencyGrants grants, Clock clock, MeterRegistry meters,
            ClientIp clientIp, @Value("${app.audit.durable-timeout:5s}") java.time.Duration durableTimeout) {
        this.clientIp = clientIp;
        this.rows = rows;
        this.writer = writer;
        this.grants = grants;
        this.clock = clock;
        this.durableTimeoutMillis = durableTimeout.toMillis();
        this.recorded = Counter.builder("healthcare.audit.events").tag("result", "stored")
                .description("Audit events stored").register(meters);
        this.failed = Counter.builder("healthcare.audit.events").tag("result", "failed")
                .description("Audit events that could not be stored (their requests failed with 503)")
                .register(meters);
    }

    @Override
    public void recordWithChange(AuditEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new IllegalStateException("recordWithChange needs the writing transaction of the change");
        }
        StoredEvent stored = stored(event);
        try {
            rows.insert(List.of(stored));
        } catch (RuntimeException e) {
            failed.increment();
            throw unavailable();
        }
        recorded.increment();
    }

    @Override
    public void recordDurably(Collection<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<StoredEvent> stored = events.stream().map(this::stored).toList();
        try {
            writer.submit(stored).get(durableTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.increment(stored.size());
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            failed.increment(stored.size());
            throw unavailable();
        }
        recorded.increment(stored.size());
        HttpServletRequest request = currentRequest();
        if (request != null && stored.stream().anyMatch(e -> !e.outcome().equals("SUCCESS"))) {
            request.setAttribute(FAILURE_RECORDED, Boolean.TRUE);
        }
    }

    static boolean failureAlreadyRecorded() {
        HttpServletRequest request = currentRequest();
        return request != null && request.getAttribute(FAILURE_RECORDED) != null;
    }

    private StoredEvent stored(AuditEvent e) {
        Optional<String> emergency = e.patientId() == null || e.actorId() == null || e.clinicId() == null
                ? Optional.empty()
                : grants.activeReason(e.clinicId(), e.actorId(), e.patientId());
        String reason = e.reason() != null ? e.reason() : emergency.orElse(null);
        HttpServletRequest request = currentRequest();
        return new StoredEvent(Ids.newId(), e.clinicId() == null ? null : e.clinicId().value(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), e.actorId(),
                e.actorRole() == null ? null : e.actorRole().name(), e.action().name(), e.resourceType(),
                e.resourceId(), e.patientId(), e.outcome().name(),
                request == null ? null : clientIp.of(request),
                request == null ? null : truncate(request.getHeader(HttpHeaders.USER_AGENT)),
                MDC.get("trace.id"), emergency.isPresent(), reason);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest()
                : null;
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= MAX_USER_AGENT ? userAgent
                : userAgent.substring(0, MAX_USER_AGENT);
    }

    private static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "AUDIT_UNAVAILABLE",
                "The audit trail cannot be written; the request was not carried out");
    }
}
