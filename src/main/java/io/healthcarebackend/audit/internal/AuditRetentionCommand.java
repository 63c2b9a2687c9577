package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.config.Command;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** {@code java -jar app.jar audit-retention} ({@code make audit-retention}): the daily retention run, now. */
@Component
class AuditRetentionCommand implements Command {

    private final AuditRetention retention;
    private final Clock clock;

    AuditRetentionCommand(AuditRetention retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "audit-retention";
    }

    @Override
    public int run(String... args) {
        AuditRetention.Report report = retention.run(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        if (!report.ran()) {
            System.out.println("another instance is running audit retention; nothing done");
            return 1;
        }
        System.out.printf("dropped %d month(s) %s with %d events%n", report.dropped().size(), report.dropped(),
                report.events());
        return 0;
    }
}
