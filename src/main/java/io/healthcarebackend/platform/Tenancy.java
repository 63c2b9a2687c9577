package io.healthcarebackend.platform;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The clinic whose data the current code may touch. Bound for the duration of a request from the
 * access token (never from the body or a free header) and read by the transaction manager, which
 * hands it to PostgreSQL row-level security with {@code set_config('app.clinic_id', …, true)}.
 */
public final class Tenancy {

    private static final ScopedValue<ClinicId> CLINIC = ScopedValue.newInstance();

    private Tenancy() {
    }

    public static Optional<ClinicId> currentClinic() {
        return CLINIC.isBound() ? Optional.of(CLINIC.get()) : Optional.empty();
    }

    public static <T> T callAs(ClinicId clinic, Supplier<T> work) {
        return ScopedValue.where(CLINIC, clinic).call(work::get);
    }

    /** For filters: runs a step that may throw checked exceptions inside the clinic's scope. */
    public static <X extends Exception> void runChecked(ClinicId clinic, CheckedRunnable<X> work) throws X {
        ScopedValue.where(CLINIC, clinic).call(() -> {
            work.run();
            return null;
        });
    }

    @FunctionalInterface
    public interface CheckedRunnable<X extends Exception> {
        void run() throws X;
    }
}
