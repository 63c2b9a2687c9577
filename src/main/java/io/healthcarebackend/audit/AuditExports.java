package io.healthcarebackend.audit;

import io.healthcarebackend.audit.internal.AuditExportVerifier;
import java.io.PrintStream;

/**
 * Verifies an audit export file without the database or the application context: what an auditor
 * years later runs with nothing but the jar, the file and the trusted public key.
 */
public final class AuditExports {

    private AuditExports() {
    }

    /** {@code <file> [--public-key <base64 X.509>]}; returns 0 valid, 1 invalid, 2 usage error. */
    public static int verify(PrintStream out, String... args) {
        return AuditExportVerifier.run(out, args);
    }
}
