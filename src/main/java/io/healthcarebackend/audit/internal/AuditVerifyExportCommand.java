package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.config.Command;
import org.springframework.stereotype.Component;

/**
 * {@code audit-verify-export <file> [--public-key <base64>]}. The jar runs it before starting the
 * application (see {@link io.healthcarebackend.audit.AuditExports}), so no database is needed;
 * this bean makes it a command like the others when the application is running anyway.
 */
@Component
class AuditVerifyExportCommand implements Command {

    @Override
    public String name() {
        return "audit-verify-export";
    }

    @Override
    public int run(String... args) {
        return AuditExportVerifier.run(System.out, args);
    }
}
