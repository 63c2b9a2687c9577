package io.healthcarebackend.scheduling.internal;

import com.google.crypto.tink.Aead;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.PhiKeys;
import io.healthcarebackend.platform.db.TenantTx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One-time sealing of appointment text written in plaintext before migration V16 (SQL cannot
 * encrypt: the keys never reach the data database). Runs at start-up, clinic by clinic, in each
 * clinic's own transaction and in batches; each row's plaintext is replaced by its ciphertext in
 * one statement. Text of a patient whose key is gone (erased) is simply dropped: it was meant to
 * be unreadable already. Idempotent: with nothing left it is one query. Until it has run, reads
 * show the plaintext rows as before.
 */
@Component
class LegacyTextSealer {

    private static final Logger log = LoggerFactory.getLogger(LegacyTextSealer.class);
    private static final int BATCH = 200;

    private final AppointmentRepository appointments;
    private final PhiKeys keys;
    private final TenantTx tx;

    LegacyTextSealer(AppointmentRepository appointments, PhiKeys keys, TenantTx tx) {
        this.appointments = appointments;
        this.keys = keys;
        this.tx = tx;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        try {
            int sealed = sealAll();
            if (sealed > 0) {
                log.info("Sealed the free text of {} appointments written before encryption", sealed);
            }
        } catch (RuntimeException e) {
            // Retried at the next start; the rows stay readable meanwhile. No values in the log.
            log.error("Sealing legacy appointment text failed ({}); retried at the next start",
                    e.getClass().getSimpleName());
        }
    }

    /** Seals every remaining plaintext row; returns how many rows it changed. */
    int sealAll() {
        int total = 0;
        for (UUID clinic : tx.readInClinic(null, appointments::clinicsWithLegacyText)) {
            ClinicId id = new ClinicId(clinic);
            int done;
            do {
                done = tx.inClinic(id, () -> sealBatch(id));
                total += done;
            } while (done == BATCH);
        }
        return total;
    }

    private int sealBatch(ClinicId clinic) {
        List<Appointment> rows = appointments.lockLegacyText(clinic, BATCH);
        Map<UUID, Aead> found = keys.patientKeys(clinic,
                rows.stream().map(Appointment::patientId).collect(Collectors.toSet()));
        for (Appointment a : rows) {
            Aead key = found.get(a.patientId());
            appointments.sealLegacyText(clinic, a.id(),
                    seal(key, a, AppointmentTexts.REASON, a.reason()),
                    seal(key, a, AppointmentTexts.CANCEL_REASON, a.cancelReason()));
        }
        return rows.size();
    }

    private static byte[] seal(Aead key, Appointment a, String field, StoredText text) {
        if (key == null || text.legacy() == null) {
            return null;
        }
        return AppointmentTexts.seal(key, a.clinicId(), a.patientId(), a.id(), field, text.legacy());
    }
}
