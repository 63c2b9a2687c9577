package io.healthcarebackend.platform.db;

import org.springframework.transaction.TransactionSystemException;

/**
 * The connection broke while a transaction was being committed: PostgreSQL may have committed it
 * or not, and the service cannot tell. Raised by the transaction manager in place of the driver's
 * error, so the client is told exactly that (503 {@code OUTCOME_UNKNOWN}) instead of "nothing
 * changed". A {@link org.springframework.transaction.TransactionException}, so Spring does not try
 * to roll back on the dead connection (which would replace this exception with the rollback's).
 */
public final class CommitOutcomeUnknown extends TransactionSystemException {

    CommitOutcomeUnknown(Throwable cause) {
        super("Connection lost while committing; outcome unknown", cause);
    }
}
