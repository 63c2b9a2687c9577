package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Tenancy;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a transaction scoped to one clinic, for code that acts on a clinic named by
 * something other than the request's token: a platform admin acting on a clinic, a refresh token,
 * start-up seeding. A null clinic means platform scope (no clinic set: tenant tables read empty).
 */
@Component
public class TenantTx {

    private final TransactionTemplate write;
    private final TransactionTemplate read;

    TenantTx(PlatformTransactionManager transactions) {
        this.write = new TransactionTemplate(transactions);
        this.read = new TransactionTemplate(transactions);
        this.read.setReadOnly(true);
    }

    public <T> T inClinic(ClinicId clinic, Supplier<T> work) {
        return scoped(clinic, () -> write.execute(status -> work.get()));
    }

    public <T> T readInClinic(ClinicId clinic, Supplier<T> work) {
        return scoped(clinic, () -> read.execute(status -> work.get()));
    }

    private static <T> T scoped(ClinicId clinic, Supplier<T> work) {
        return clinic == null ? work.get() : Tenancy.callAs(clinic, work);
    }
}
