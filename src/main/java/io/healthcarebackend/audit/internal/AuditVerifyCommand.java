package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.config.Command;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar app.jar audit-verify} ({@code make audit-verify}): verifies every clinic's chain
 * and the platform chain, prints one line per chain and exits 1 when any is invalid.
 */
@Component
class AuditVerifyCommand implements Command {

    private final AuditVerifier verifier;
    private final JdbcTemplate jdbc;

    AuditVerifyCommand(AuditVerifier verifier, JdbcTemplate jdbc) {
        this.verifier = verifier;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "audit-verify";
    }

    @Override
    public int run(String... args) {
        return verifyAll(System.out);
    }

    int verifyAll(PrintStream out) {
        List<UUID> chains = jdbc.queryForList("select chain_id from audit_chain_heads order by chain_id", UUID.class);
        boolean allValid = true;
        long total = 0;
        for (UUID chain : chains) {
            ClinicId clinic = chain.equals(AuditSealer.PLATFORM_CHAIN) ? null : new ClinicId(chain);
            AuditVerifier.Result r = verifier.verify(clinic, null, null);
            total += r.checked();
            allValid &= r.valid();
            out.printf("%s chain=%s checked=%d%s%n", r.valid() ? "VALID  " : "INVALID",
                    clinic == null ? "platform" : chain, r.checked(),
                    r.valid() ? "" : " firstInvalidId=" + r.firstInvalidId() + " problem=\"" + r.problem() + "\"");
        }
        out.printf("%s: %d chains, %d events checked%n", allValid ? "valid" : "INVALID", chains.size(), total);
        return allValid ? 0 : 1;
    }
}
