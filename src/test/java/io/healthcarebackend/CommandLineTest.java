package io.healthcarebackend;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Operator commands start the application without its web server (as `java -jar app.jar <command>` does). */
class CommandLineTest extends ApiTest {

    private record Run(int status, String output) {
    }

    private static Run run(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = HealthcareBackendApplication.runCommand(args);
            return new Run(status, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void auditVerifyRunsWithoutTheWebServerAndReportsEveryChain() throws Exception {
        Clinic clinic = newClinic();
        clinic.book(clinic.adminToken, clinic.patient(), clinic.practitioner(), clinic.nextMonday(10));
        // The service's sealer chains events every second; the command verifies chains.
        AuditLog.awaitSealed(clinic.id);
        Run run = run("audit-verify");
        // Other tests of this run break chains on purpose, so the overall status may be 1; this
        // clinic's chain is untouched and must be reported valid.
        assertThat(run.status()).isIn(0, 1);
        assertThat(run.output()).contains("VALID   chain=" + clinic.id).containsPattern("chains, \\d+ events checked");
    }

    @Test
    void anUnknownCommandIsRefusedWithTheListOfKnownOnes() throws Exception {
        assertThat(run("no-such-command").status()).isEqualTo(2);
    }
}
